import type { Address } from '../core/types.js';

export function displayName(a: Address): string {
  return a.name || a.address || 'unknown sender';
}
