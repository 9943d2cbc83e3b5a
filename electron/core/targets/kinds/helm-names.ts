/**
 * A plain scalar as Helm reads it into a string field of `repo.File`: gopkg.in/yaml.v2 resolves
 * it with YAML 1.1's implicit types, then sigs.k8s.io/yaml writes a bool, int or float that lands
 * in a string field back as Go prints it (`TRUE`, `yes` and `on` are the repository "true",
 * `0x7B` is "123", `1.5e3` is "1500"), and a null leaves the field empty. The `yaml` library reads
 * YAML 1.2, where `yes` is a string and `TRUE` a boolean, so a name must be compared as Helm
 * reads it, or Artikey would write into an entry Helm knows under another name.
 */
export function helmReadsPlain(text: string): string {
  if (/^(?:~|null|Null|NULL|)$/.test(text)) return '';
  if (/^(?:y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/.test(text)) return 'true';
  if (/^(?:n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/.test(text)) return 'false';
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? '-.inf' : '.inf';
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return '.nan';
  if (/^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(text)) return goFloat32(Number(text));
  if (!/^[-+0-9]/.test(text) || isTimestamp(text)) return text;
  const plain = text.replace(/_/g, '');
  const integer = goInteger(plain);
  if (integer !== undefined) return integer.toString();
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain))
    return goFloat32(Number(plain));
  return text;
}

/** yaml.v2 reads these as timestamps, and into an interface{} gives their text back. */
const isTimestamp = (text: string): boolean =>
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/.test(
    text,
  );

/** strconv.ParseInt/ParseUint with base 0 (0x, 0o, 0b, a leading 0 for octal), 64 bits. */
function goInteger(text: string): bigint | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(
    text,
  );
  if (match === null) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  const value = BigInt(
    /^0[0-7]+$/.test(digits)
      ? `0o${digits.slice(1)}`
      : digits.replace(/^0([XOB])/, (_m, p: string) => `0${p.toLowerCase()}`),
  );
  const signed = sign === '-' ? -value : value;
  const fits = sign === '-' ? signed >= -(2n ** 63n) : signed < 2n ** 64n;
  return fits ? signed : undefined;
}

/** strconv.FormatFloat(v, 'g', -1, 32): the shortest digits that read back as the same float32. */
function goFloat32(value: number): string {
  const float = Math.fround(value);
  if (!Number.isFinite(float)) return float > 0 ? '.inf' : '-.inf';
  if (float === 0) return Object.is(float, -0) ? '-0' : '0';
  let precision = 1;
  while (precision < 9 && Math.fround(Number(float.toPrecision(precision))) !== float) precision++;
  const [mantissa, power] = float.toExponential(precision - 1).split('e') as [string, string];
  const exponent = Number(power);
  const digits = mantissa.replace(/[-.]/g, '').replace(/0+$/, '') || '0';
  const sign = float < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const abs = Math.abs(exponent);
    return `${sign}${digits[0]}${rest}e${exponent < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
