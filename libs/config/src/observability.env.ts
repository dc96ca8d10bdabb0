import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { AppVariables } from './app.env';
import { packageVersion, toNumber } from './parsing';

/** The samplers of the OpenTelemetry specification's `OTEL_TRACES_SAMPLER` (the Jaeger and X-Ray ones aside). */
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/**
 * `OTEL_EXPORTER_OTLP_HEADERS` as the specification writes it: `key=value`
 * pairs separated by commas, values percent-encoded. Null when malformed.
 */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> | null {
  const headers: Record<string, string> = {};
  if (!value?.trim()) return headers;
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at < 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) return null;
    try {
      headers[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return headers;
}

/** Error tracking (Sentry) and tracing (OpenTelemetry over OTLP/HTTP). */
export class ObservabilityVariables {
  /** Error tracking: the Sentry project's DSN. Unset, the Sentry SDK is not even loaded. */
  @Matches(/^https?:\/\/[^/@\s]+@[^/\s]+\/.+$/, {
    message: 'SENTRY_DSN must be a DSN such as https://<public key>@<host>/<project id>',
  })
  @IsOptional()
  SENTRY_DSN?: string;

  /** The environment events are filed under (default: NODE_ENV). */
  @IsString()
  @MaxLength(64)
  @IsOptional()
  SENTRY_ENVIRONMENT?: string;

  /** Tracing: the OTLP/HTTP collector's base URL (`/v1/traces` is appended). Unset, no OpenTelemetry code is loaded. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
  @IsOptional()
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The only protocol the exporter speaks; given, it must say so (a gRPC endpoint would receive nothing). */
  @IsIn(['http/json'], { message: 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (OTLP over HTTP with JSON)' })
  @IsOptional()
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;

  /** Headers sent with every export (a vendor's API key): `key=value,key2=value2`, values percent-encoded. */
  @IsString()
  @IsOptional()
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  @IsIn(TRACE_SAMPLERS)
  OTEL_TRACES_SAMPLER: TraceSampler = 'parentbased_always_on';

  /** The sampled fraction of traces for the `traceidratio` samplers. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  OTEL_TRACES_SAMPLER_ARG = 1;
}

export function observabilityProblems(env: ObservabilityVariables): string[] {
  return parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) === null
    ? ['OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas']
    : [];
}

export interface ErrorTrackingConfig {
  dsn: string;
  environment: string;
  release: string;
}

export interface TracingConfig {
  /** Where spans go: `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  tracesUrl: string;
  headers: Record<string, string>;
  sampler: TraceSampler;
  /** The fraction of traces kept by the `traceidratio` samplers. */
  ratio: number;
}

/**
 * Error tracking (SENTRY_DSN) and tracing (OTEL_EXPORTER_OTLP_ENDPOINT); each
 * null when its variable is unset, and then nothing of it is loaded.
 */
export function observabilityConfigFrom(env: ObservabilityVariables & Pick<AppVariables, 'NODE_ENV' | 'APP_VERSION'>): {
  errorTracking: ErrorTrackingConfig | null;
  tracing: TracingConfig | null;
} {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return {
    errorTracking: env.SENTRY_DSN
      ? {
          dsn: env.SENTRY_DSN,
          environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
          release: env.APP_VERSION ?? packageVersion(),
        }
      : null,
    tracing: endpoint
      ? {
          tracesUrl: `${endpoint.replace(/\/+$/, '')}/v1/traces`,
          headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) ?? {},
          sampler: env.OTEL_TRACES_SAMPLER,
          ratio: env.OTEL_TRACES_SAMPLER_ARG,
        }
      : null,
  };
}
