import { describeDetection, describeUsageNearMiss } from '../../../test-support/detection-case.js';
import { detection } from './detection.js';

describeDetection(detection, import.meta.dirname);
describeUsageNearMiss(detection, import.meta.dirname, 'silent-fresh-used-or-programmatic.json', [
  'arn:aws:iam::100000000001:user/dev-jack',
]);
