/** Renders the detection catalog as Markdown (docs/detections.md is generated from this). */
import { DETECTIONS } from './registry.js';
import type { Detection } from './types.js';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderDetectionsDoc(detections: readonly Detection[] = DETECTIONS): string {
  const sorted = [...detections].sort((a, b) =>
    a.anchor < b.anchor ? -1 : a.anchor > b.anchor ? 1 : 0,
  );
  const lines = [
    '# Detections',
    '',
    '<!-- Generated from src/detections/registry.ts by `npm run docs:detections`; a test keeps it in sync. -->',
    '',
    `${sorted.length} detections. \`Anchor\` is the id in the reference catalog (anchors.md §B); the`,
    'detection id is permanent and is what findings, mutes and fingerprints use. Each detection lives in',
    '`src/detections/<category>/<id>/` with its fires and silent (near-miss) fixtures.',
    '',
    '| Anchor | Detection id | Severity | Category | Title | Needs | Checked on |',
    '|---|---|---|---|---|---|---|',
    ...sorted.map(
      (d) =>
        `| ${d.anchor} | \`${d.id}\` | ${d.severity} | ${d.category} | ${cell(d.title)} | ${d.requires.join(', ')} | ${d.appliesTo.map((t) => `\`${t}\``).join(', ')} |`,
    ),
    '',
  ];
  for (const d of sorted) {
    lines.push(
      `## ${d.anchor} \`${d.id}\`: ${cell(d.title)}`,
      '',
      `${d.description}`,
      '',
      `**Risk.** ${d.risk}`,
      '',
      `**Remediation.** ${d.remediation}`,
      '',
      ...(d.references.length > 0
        ? [`References: ${d.references.map((r) => `<${r}>`).join(', ')}`, '']
        : []),
    );
  }
  return lines.join('\n');
}
