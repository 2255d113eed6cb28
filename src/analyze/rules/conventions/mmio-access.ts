// Device memory (__iomem) is read and written through the MMIO accessors
// (Documentation/driver-api/device-io.rst; sparse's "different address
// spaces" warning enforces it). Swapping memcpy_fromio()/readl() for memcpy()
// or a plain dereference, or dropping __iomem from the pointer, makes sparse
// quiet and the access wrong on architectures where MMIO is not plain memory.
// Switching to the right accessor or declaring the pointer __iomem fixes it.
// Only where the failure points (locality.ts).

import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';
import { placeOf } from './locality.js';

export const mmioAccess: Rule = {
  name: 'mmio-access',
  blindSafe: true,
  apply({ rec, effects, failures }) {
    if (!failures.length) return [];
    const out: Finding[] = [];
    const near = (kind: string) => effects.find((e) => e.kind === kind && placeOf(e, rec.patch, failures) !== 'elsewhere');
    const bypass = near('mmio-bypassed');
    if (bypass)
      out.push({
        rule: 'mmio-access',
        lean: 'hides',
        weight: 2,
        reason: 'device memory is accessed as ordinary memory: the address-space check goes quiet and the access is wrong where MMIO is not plain memory',
        evidence: [effectEvidence(bypass)],
      });
    const accessor = near('mmio-accessor-used');
    if (accessor && !bypass)
      out.push({
        rule: 'mmio-access',
        lean: 'fixes',
        weight: 1.5,
        reason: 'device memory is now accessed through the MMIO accessors, as its __iomem type requires',
        evidence: [effectEvidence(accessor)],
      });
    return out;
  },
};
