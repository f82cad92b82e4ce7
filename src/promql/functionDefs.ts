// Signatures of the PromQL functions, kept as a data table like Prometheus's parser/functions.go.
// The implementations live in functions.ts; the parser only needs names and types.

/** The type a PromQL expression evaluates to. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** A function's signature. */
export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /** 0: exactly argTypes; n > 0: up to n optional trailing args; -1: unlimited (as Go's Variadic). */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Which compat modes know the function. */
  readonly only?: 'v2' | 'v3';
}

const v: ValueType = 'vector';
const m: ValueType = 'matrix';
const s: ValueType = 'scalar';
const str: ValueType = 'string';

function def(
  name: string,
  argTypes: ValueType[],
  returnType: ValueType,
  variadic = 0,
  only?: 'v2' | 'v3',
): FunctionDef {
  return only
    ? { name, argTypes, variadic, returnType, only }
    : { name, argTypes, variadic, returnType };
}

const defs: FunctionDef[] = [
  def('abs', [v], v),
  def('absent', [v], v),
  def('absent_over_time', [m], v),
  def('acos', [v], v),
  def('acosh', [v], v),
  def('asin', [v], v),
  def('asinh', [v], v),
  def('atan', [v], v),
  def('atanh', [v], v),
  def('avg_over_time', [m], v),
  def('ceil', [v], v),
  def('changes', [m], v),
  def('clamp', [v, s, s], v),
  def('clamp_max', [v, s], v),
  def('clamp_min', [v, s], v),
  def('cos', [v], v),
  def('cosh', [v], v),
  def('count_over_time', [m], v),
  def('days_in_month', [v], v, 1),
  def('day_of_month', [v], v, 1),
  def('day_of_week', [v], v, 1),
  def('day_of_year', [v], v, 1),
  def('deg', [v], v),
  def('end', [], s, 0, 'v3'),
  def('delta', [m], v),
  def('deriv', [m], v),
  def('double_exponential_smoothing', [m, s, s], v, 0, 'v3'),
  def('exp', [v], v),
  def('first_over_time', [m], v, 0, 'v3'),
  def('floor', [v], v),
  def('histogram_avg', [v], v, 0, 'v3'),
  def('histogram_count', [v], v),
  def('histogram_fraction', [s, s, v], v),
  def('histogram_quantile', [s, v], v),
  def('histogram_quantiles', [v, str, s], v, -1, 'v3'),
  def('histogram_stddev', [v], v),
  def('histogram_stdvar', [v], v),
  def('histogram_sum', [v], v),
  def('holt_winters', [m, s, s], v, 0, 'v2'),
  def('hour', [v], v, 1),
  def('idelta', [m], v),
  def('increase', [m], v),
  def('info', [v, v], v, 1, 'v3'),
  def('irate', [m], v),
  def('label_join', [v, str, str, str], v, -1),
  def('label_replace', [v, str, str, str, str], v),
  def('last_over_time', [m], v),
  def('ln', [v], v),
  def('log10', [v], v),
  def('log2', [v], v),
  def('mad_over_time', [m], v, 0, 'v3'),
  def('max_over_time', [m], v),
  def('min_over_time', [m], v),
  def('max_of', [s, s], s, 0, 'v3'),
  def('min_of', [s, s], s, 0, 'v3'),
  def('minute', [v], v, 1),
  def('month', [v], v, 1),
  def('pi', [], s),
  def('predict_linear', [m, s], v),
  def('present_over_time', [m], v),
  def('quantile_over_time', [s, m], v),
  def('rad', [v], v),
  def('range', [], s, 0, 'v3'),
  def('rate', [m], v),
  def('resets', [m], v),
  def('round', [v, s], v, 1),
  def('scalar', [v], s),
  def('sgn', [v], v),
  def('sin', [v], v),
  def('sinh', [v], v),
  def('sort', [v], v),
  def('sort_by_label', [v, str], v, -1, 'v3'),
  def('sort_by_label_desc', [v, str], v, -1, 'v3'),
  def('sort_desc', [v], v),
  def('sqrt', [v], v),
  def('start', [], s, 0, 'v3'),
  def('step', [], s, 0, 'v3'),
  def('stddev_over_time', [m], v),
  def('stdvar_over_time', [m], v),
  def('sum_over_time', [m], v),
  def('tan', [v], v),
  def('tanh', [v], v),
  def('time', [], s),
  def('timestamp', [v], v),
  def('ts_of_first_over_time', [m], v, 0, 'v3'),
  def('ts_of_last_over_time', [m], v, 0, 'v3'),
  def('ts_of_max_over_time', [m], v, 0, 'v3'),
  def('ts_of_min_over_time', [m], v, 0, 'v3'),
  def('vector', [s], v),
  def('year', [v], v, 1),
];

/** Every function signature by name. */
export const functionDefs: ReadonlyMap<string, FunctionDef> = new Map(defs.map((d) => [d.name, d]));
