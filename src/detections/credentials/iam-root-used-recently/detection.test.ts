import { describeDetection } from '../../../test-support/detection-case.js';
import { detection } from './detection.js';

describeDetection(detection, import.meta.dirname);
