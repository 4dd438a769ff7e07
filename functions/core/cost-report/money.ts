// Exact USD sums: amounts as integer units of 1e-10 USD (the precision costs are stored with), in BigInt.

const SCALE = 10;
const UNIT = 10n ** BigInt(SCALE);

/** Parses a DynamoDB number text (`0.00525`, `-1.5E-7`, `12`) into 1e-10 USD units, rounding half away from zero. */
export function unitsFromDecimal(text: string): bigint {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`not a number: '${text}'`);
  const negative = match[1] === '-';
  let digits = (match[2] ?? '') + (match[3] ?? '');
  // Position of the decimal point within `digits`, shifted by the exponent.
  let point = (match[2] ?? '').length + Number(match[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  digits = digits.padEnd(point + SCALE + 1, '0');
  const kept = BigInt(digits.slice(0, point + SCALE) || '0');
  const roundUp = Number(digits[point + SCALE]) >= 5;
  const units = kept + (roundUp ? 1n : 0n);
  return negative ? -units : units;
}

export function unitsFromNumber(usd: number): bigint {
  return unitsFromDecimal(usd.toFixed(SCALE));
}

/** Units back to a number (for JSON output and charts). */
export function usdFromUnits(units: bigint): number {
  return Number(usdText(units));
}

/** Units as a decimal string with trailing zeros trimmed: `0.00525`, `12`. */
export function usdText(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / UNIT;
  const fraction = (abs % UNIT).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Units rounded half away from zero to `decimals` places (0..10), for display: `12.35`, `0.005250`. */
export function usdRounded(units: bigint, decimals: number): string {
  const step = 10n ** BigInt(SCALE - decimals);
  const half = step / 2n;
  const rounded = step === 1n ? units : (units + (units >= 0n ? half : -half)) / step;
  const negative = rounded < 0n;
  const abs = negative ? -rounded : rounded;
  const base = 10n ** BigInt(decimals);
  const fraction = decimals > 0 ? `.${(abs % base).toString().padStart(decimals, '0')}` : '';
  return `${negative ? '-' : ''}${abs / base}${fraction}`;
}
