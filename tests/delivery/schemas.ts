// JSON schemas of the fields that matter in the PrometheusRule CRD (prometheus-operator's
// monitoring.coreos.com_prometheusrules.yaml, v1) and in kube-prometheus-stack's
// additionalPrometheusRulesMap (templates/prometheus/additionalPrometheusRules.yaml), checked
// with Ajv. Neither project publishes a schema small enough to use from here, and the fields a
// rule export can get wrong are few: names, labels, durations, the groups' shape.
import { Ajv } from 'ajv';

// The CRD's own patterns (Duration and NonEmptyDuration in pkg/apis/monitoring/v1).
const duration = {
  type: 'string',
  pattern:
    '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
};
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
// Kubernetes label values (k8s.io/apimachinery validation.IsValidLabelValue).
const labelMap = {
  type: 'object',
  propertyNames: {
    pattern:
      '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$',
  },
  additionalProperties: {
    type: 'string',
    maxLength: 63,
    pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
  },
};

const rule = {
  type: 'object',
  required: ['expr'],
  additionalProperties: false,
  properties: {
    alert: { type: 'string' },
    record: { type: 'string' },
    expr: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    for: duration,
    keep_firing_for: { ...duration, minLength: 1 },
    labels: stringMap,
    annotations: stringMap,
  },
  oneOf: [{ required: ['alert'] }, { required: ['record'] }],
};

const groups = {
  type: 'array',
  items: {
    type: 'object',
    required: ['name', 'rules'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      interval: duration,
      query_offset: duration,
      limit: { type: 'integer' },
      labels: stringMap,
      partial_response_strategy: { type: 'string' },
      rules: { type: 'array', items: rule },
    },
  },
};

const dnsSubdomain = {
  type: 'string',
  maxLength: 253,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
};

/** A PrometheusRule resource as the API server accepts it. */
export const prometheusRuleSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'PrometheusRule' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: dnsSubdomain,
        namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        labels: labelMap,
      },
    },
    spec: {
      type: 'object',
      required: ['groups'],
      additionalProperties: false,
      properties: { groups },
    },
  },
};

/** kube-prometheus-stack values with one or more additionalPrometheusRulesMap entries. */
export const helmValuesSchema = {
  type: 'object',
  required: ['additionalPrometheusRulesMap'],
  additionalProperties: false,
  properties: {
    additionalPrometheusRulesMap: {
      type: 'object',
      minProperties: 1,
      // The key becomes part of the resource's name.
      propertyNames: {
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
      },
      additionalProperties: {
        type: 'object',
        required: ['groups'],
        additionalProperties: false,
        properties: {
          additionalLabels: {
            ...labelMap,
            // The chart writes release itself: a second one is a duplicate key in its output.
            not: { required: ['release'] },
          },
          groups,
        },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true });
const validators = {
  prometheusRule: ajv.compile(prometheusRuleSchema),
  helmValues: ajv.compile(helmValuesSchema),
};

/** The schema's complaints about the value, as `path: message`; empty when it is valid. */
export function validateAgainst(which: keyof typeof validators, value: unknown): string[] {
  const validate = validators[which];
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? ''}`);
}
