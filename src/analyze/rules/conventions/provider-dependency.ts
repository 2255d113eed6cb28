// A driver that calls subsystem X's API without stubs must depend on X
// (kconfig-language.rst, "depends on"), or select it when X is a library
// meant to be selected: `depends on X`/`select X` where X provides the
// symbol that failed to link is the fix, not a narrowing. X provides it when
// the index builds its definition under CONFIG_X, or, without the index, when
// the symbol carries X's API prefix (spi_ for SPI, regmap_…i2c for
// REGMAP_I2C, gpiod_ for GPIOLIB), the kernel's naming convention.

import type { BuildFailure, Effect } from '../../../core/types.js';
import type { IndexPort } from '../../index-port.js';
import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';
import { isLinkFailure, isMissingDeclaration } from './failure-kinds.js';
import { judgeSelect } from './select-dependencies.js';
import { wordIn } from '../../../extract/literal.js';

// parts of a Kconfig name that say nothing about the API
const GENERIC_PARTS = new Set(['common', 'generic', 'support', 'core', 'lib', 'hw', 'dev', 'driver', 'drivers', 'master', 'host', 'bus', 'api', 'helper', 'helpers']);

/** `spi` of SPI_MASTER, `gpio` of GPIOLIB, `regmap` of REGMAP_I2C: the prefixes X's API carries. */
export function apiPrefixes(config: string): string[] {
  return config
    .toLowerCase()
    .split('_')
    .map((p) => p.replace(/lib$/, ''))
    .filter((p) => p.length >= 3 && !GENERIC_PARTS.has(p));
}

function bareSymbol(sym: string): string {
  return sym.replace(/^\.?_+/, '').replace(/^(?:devm|of|acpi)_/, '');
}

/** Why CONFIG_<config> provides the symbol, or undefined when nothing says so. */
export function provides(config: string, sym: string, port?: IndexPort): string | undefined {
  const named = (t: string) => wordIn(t, config) || wordIn(t, `CONFIG_${config}`);
  const row = (port?.lookup(sym) ?? []).find((r) => (r.kind === 'func' || r.kind === 'var' || r.kind === 'export') && named(`${r.buildCond ?? ''} ${r.cond}`));
  if (row) return `${sym} is built under CONFIG_${config} (${row.path}:${row.line})`;
  // the symbol's first word is the config's first word, or it and one letter (gpiod_ of GPIOLIB),
  // and the config's other words follow in order (regmap_init_i2c of REGMAP_I2C, not spi_sync of SPI_FOO_BRIDGE)
  const [first, ...rest] = apiPrefixes(config);
  const [head, ...words] = bareSymbol(sym).toLowerCase().split('_');
  if (!first || !head || !(head === first || (head.length === first.length + 1 && head.startsWith(first)))) return undefined;
  let at = 0;
  for (const w of rest) {
    at = words.indexOf(w, at) + 1;
    if (at === 0) return undefined;
  }
  return `${sym} carries the ${[first, ...rest].join('_')} prefix of CONFIG_${config}'s API`;
}

/** The failing symbols a `depends on` may be about: link failures and missing declarations. */
export function failingSymbols(failures: BuildFailure[]): string[] {
  return [
    ...new Set(
      failures
        .filter((f) => isLinkFailure(f) || isMissingDeclaration(f))
        .map((f) => f.symbol)
        .filter((s): s is string => !!s),
    ),
  ];
}

/** The dependency (or select) an effect adds that provides a failing symbol, with why. */
export function providingDependency(e: Effect, failures: BuildFailure[], port?: IndexPort): { config: string; why: string } | undefined {
  if (e.kind !== 'depends-on-added' && !(e.kind === 'select-added' && /`select /.test(e.detail))) return undefined;
  for (const config of e.symbols.slice(1))
    for (const sym of failingSymbols(failures)) {
      const why = provides(config, sym, port);
      if (why) return { config, why };
    }
  return undefined;
}

export const providerDependency: Rule = {
  name: 'provider-dependency',
  blindSafe: true,
  apply(input) {
    const { effects, failures, port } = input;
    const out: Finding[] = [];
    for (const e of effects) {
      // where the index knows the failing symbols, the index rules judge from the tree
      if (port && failingSymbols(failures).some((sym) => port.lookup(sym).length)) break;
      const p = providingDependency(e, failures, port);
      if (!p) continue;
      // a select whose target's dependencies are known is select-dependencies' to judge
      if (e.kind === 'select-added' && (judgeSelect(e, input) || port?.kconfig(`CONFIG_${e.symbols[1]}`).length)) continue;
      // a library symbol is meant to be selected by its users; whether its own dependencies hold is select-dependencies' question
      const how = e.kind === 'select-added' ? 'selects' : 'depends on';
      out.push({ rule: 'provider-dependency', lean: 'fixes', weight: 1.5, reason: `the option now ${how} ${p.config}, which provides what it calls (${p.why})`, evidence: [effectEvidence(e)] });
      break;
    }
    return out;
  },
};
