import { READS } from '@fan/read-contract';

/**
 * The query API as OpenAPI 3.1, served at /openapi.json. The route test (test/openapi.test.ts)
 * fails when a route is answered that this document does not describe, or the other way round.
 */
const id = { type: 'string', pattern: '^-?[0-9]{1,19}$', description: '64-bit id as a decimal string (never a JSON number)' };
const int = { type: 'integer', description: 'exact up to 2^53 - 1' };
const thumbed = { asset_id: id, asset_name: { type: 'string' }, asset_thumb: { type: 'string' } };
const obj = (properties: Record<string, unknown>) => ({
  type: 'object',
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
});
const list = (items: unknown) => ({ type: 'array', items });

const READ_DATA: Record<string, { summary: string; data: unknown }> = {
  'today-overview': {
    summary: "Balance, today's income and this week's rank among the star's earners",
    data: obj({ crystal_balance: int, today_income: int, week_rank: int, week_total_users: int }),
  },
  'income-curve': {
    summary: 'Income of the last 7 business days, today and the peak marked',
    data: obj({
      points: list(
        obj({ date: { type: 'string', format: 'date' }, income: int, is_today: { type: 'boolean' }, is_peak: { type: 'boolean' } }),
      ),
      total_income: int,
      avg_income: int,
    }),
  },
  'exhibition-summary': {
    summary: 'Exhibiting and owned counts, all-time duration and earnings, top 5 of the last 7 days',
    data: obj({
      exhibiting_count: int,
      starbook_count: int,
      total_duration: { type: 'string', example: '3h05m' },
      total_duration_seconds: int,
      total_earnings: int,
      top5: list(obj({ ...thumbed, duration_7d: { type: 'string' }, duration_7d_seconds: int, earnings_7d: int, avg_earnings: int })),
    }),
  },
  'like-income-by-level': {
    summary: 'All-time likes and like income, per current level of the owned assets',
    data: obj({
      total_like_count: int,
      total_income: int,
      levels: list(obj({ level: { type: 'string' }, asset_count: int, total_income: int, thumb: { type: 'string' } })),
    }),
  },
  'top-assets': {
    summary: 'Up to 5 assets by all-time exhibition revenue plus like amounts',
    data: obj({ items: list(obj({ ...thumbed, total_earnings: int, rank: int })) }),
  },
  'level-distribution': {
    summary: 'Owned assets per level, every level, zero-filled',
    data: obj({ items: list(obj({ level: { type: 'string' }, count: int, total: int })) }),
  },
  'upgrade-progress': {
    summary: 'Assets closest to their next level, and the latest level-ups',
    data: obj({
      upcoming: list(
        obj({
          ...thumbed,
          current_level: { type: 'string' },
          next_level: { type: 'string' },
          like_progress: { type: 'integer', minimum: 0, maximum: 100 },
          duration_progress: { type: 'integer', minimum: 0, maximum: 100 },
        }),
      ),
      recent: list(
        obj({ ...thumbed, new_level: { type: 'string' }, upgrade_time: { type: 'integer', description: 'epoch milliseconds' } }),
      ),
    }),
  },
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Fan dashboard query API',
    version: '1.0.0',
    description:
      'The seven dashboard reads of one (token user, star). Answers are cached in Redis and invalidated by the pipeline within 2 s of an event.',
  },
  servers: [{ url: 'http://127.0.0.1:8080' }],
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'HS256 only, sub = user id (decimal). `exp`, when present, is the expiry whatever the lifetime; `iat` is optional; `nbf` is honoured; without `exp` a token lives JWT_MAX_AGE_SECONDS (24 h) after its `iat`; with neither it is refused. The scheme name is case-insensitive.',
      },
    },
    schemas: { Error: obj({ code: { type: 'integer' }, message: { type: 'string' } }) },
  },
  paths: {
    ...Object.fromEntries(
      READS.map((read) => [
        `/api/v1/dashboard/${read}`,
        {
          get: {
            operationId: read.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()),
            summary: READ_DATA[read]?.summary,
            security: [{ bearer: [] }],
            parameters: [
              {
                name: 'star_id',
                in: 'query',
                required: true,
                schema: { ...id, pattern: '^[0-9]{1,19}$' },
                description: 'positive 64-bit decimal',
              },
            ],
            responses: {
              200: {
                description: 'the read',
                content: { 'application/json': { schema: obj({ code: { const: 200 }, data: READ_DATA[read]?.data }) } },
              },
              400: error('star_id missing or not a positive 64-bit decimal'),
              401: error('token missing, malformed, expired, not yet valid (nbf), without exp and iat, or wrongly signed'),
              503: error('Postgres unavailable'),
            },
          },
        },
      ]),
    ),
    '/api/v1/dashboard/stream': {
      get: {
        operationId: 'changeStream',
        summary: 'Which reads of (token user, star) changed, as server-sent events',
        description:
          'text/event-stream: `event: ready` once, then `event: changed` with `{"reads":[…]}` each time the cache invalidator has invalidated reads of this user (sent after invalidation, so a refetch sees the new answer), and a `: keep-alive` comment every 15 s. Send the token in the Authorization header (fetch streaming, not EventSource). At most QUERY_STREAM_MAX streams per instance and QUERY_STREAM_MAX_PER_USER (8) per user. The stream ends when its token expires: a last `event: expired` with `{"message":"token expired"}`, then the end of the response; reconnecting with the same token answers 401.',
        security: [{ bearer: [] }],
        parameters: [{ name: 'star_id', in: 'query', required: true, schema: { ...id, pattern: '^[0-9]{1,19}$' } }],
        responses: {
          200: { description: 'the stream', content: { 'text/event-stream': {} } },
          400: error('star_id missing or not a positive 64-bit decimal'),
          401: error('token missing, malformed, expired, not yet valid (nbf), without exp and iat, or wrongly signed'),
          429: error('this user has QUERY_STREAM_MAX_PER_USER streams open on this instance (Retry-After: 10)'),
          503: error('this instance has QUERY_STREAM_MAX streams open'),
        },
      },
    },
    '/api/v1/analytics/dau': {
      get: {
        operationId: 'dau',
        summary: 'Daily active identities (a session start that business day), with provinces and cities; app-wide',
        security: [{ bearer: [] }],
        parameters: [
          { name: 'start_date', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
          {
            name: 'end_date',
            in: 'query',
            required: true,
            schema: { type: 'string', format: 'date' },
            description: 'inclusive; at most 92 days from start_date',
          },
        ],
        responses: {
          200: {
            description: 'one entry per day, oldest first, zero-filled',
            content: {
              'application/json': {
                schema: obj({
                  code: { const: 200 },
                  data: obj({
                    days: list(
                      obj({
                        date: { type: 'string', format: 'date' },
                        dau: int,
                        by_province: { type: 'object', additionalProperties: int },
                        by_city: { type: 'object', additionalProperties: int },
                      }),
                    ),
                    total_days: int,
                  }),
                }),
              },
            },
          },
          400: error('a date missing or not a calendar date, a reversed range, or more than 92 days'),
          401: error('token missing, malformed, expired, not yet valid (nbf), without exp and iat, or wrongly signed'),
        },
      },
    },
    '/api/v1/presence/online-count': {
      get: {
        operationId: 'onlineCount',
        summary: 'Identities online now: latest activity within the last 180 s and not a session end',
        security: [{ bearer: [] }],
        responses: {
          200: {
            description: 'the count',
            content: {
              'application/json': {
                schema: obj({
                  code: { const: 200 },
                  data: obj({ count: int, window_seconds: { const: 180 }, queried_at: { type: 'string', format: 'date-time' } }),
                }),
              },
            },
          },
          401: error('token missing, malformed, expired, not yet valid (nbf), without exp and iat, or wrongly signed'),
        },
      },
    },
    '/api/v1/presence/online-history': {
      get: {
        operationId: 'onlineHistory',
        summary: 'Online at each epoch-aligned multiple of interval in (from, to], computed from the events',
        security: [{ bearer: [] }],
        parameters: [
          { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date-time' } },
          { name: 'interval', in: 'query', required: true, schema: { enum: ['1m', '5m', '1h'] } },
        ],
        responses: {
          200: {
            description: 'points, oldest first',
            content: {
              'application/json': {
                schema: obj({
                  code: { const: 200 },
                  data: obj({ points: list(obj({ at: { type: 'string', format: 'date-time' }, count: int })) }),
                }),
              },
            },
          },
          400: error('an instant without offset, a reversed range, an unknown interval, or more than 1,440 points'),
          401: error('token missing, malformed, expired, not yet valid (nbf), without exp and iat, or wrongly signed'),
        },
      },
    },
    '/api/v1/presence/heartbeat': {
      post: {
        operationId: 'heartbeat',
        summary: "A signed-in app's heartbeat: the user is the token's sub, occurred_at is the service's now",
        description:
          'The token is checked before the body is read. One heartbeat per (user, install_id) is accepted per QUERY_HEARTBEAT_MIN_INTERVAL_SECONDS (10 s), and at most 4 installs of one user per interval; the others are answered 429 with Retry-After (seconds) and never reach Kafka. Apps send one every 60 s.',
        security: [{ bearer: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['install_id'],
                properties: { install_id: { type: 'string', minLength: 1, maxLength: 64 }, app_version: { type: 'string', maxLength: 64 } },
              },
            },
          },
        },
        responses: {
          200: {
            description: 'accepted (Kafka acknowledged it)',
            content: { 'application/json': { schema: obj({ code: { const: 200 }, data: obj({ accepted: { const: true } }) }) } },
          },
          400: error('install_id or app_version missing or malformed, or a body that is not JSON'),
          413: error('body larger than 4 KB'),
          429: error('another heartbeat of this install within the interval, or too many installs of this user (Retry-After)'),
          401: error('token missing, malformed, expired, not yet valid (nbf), without exp and iat, or wrongly signed'),
          503: error('Kafka did not take it; try again'),
        },
      },
    },
    '/': {
      get: {
        summary: 'The dashboard page (sign in with #token=… or the form; ?star_id=, ?lang=zh|en)',
        responses: { 200: { description: 'HTML', content: { 'text/html': {} } }, 503: error('the page is not built') },
      },
    },
    '/healthz': {
      get: {
        summary: 'Readiness of Postgres and Redis',
        responses: {
          200: { description: 'every dependency answers' },
          503: { description: 'a dependency does not answer (named in the body)' },
        },
      },
    },
    '/metrics': {
      get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format', content: { 'text/plain': {} } } } },
    },
    '/openapi.json': {
      get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } },
    },
  },
} as const;
