import { EVENT_TYPES } from '@fan/schemas';

/**
 * The HTTP ingest as OpenAPI 3.1, served at /openapi.json. The route test (test/openapi.test.ts)
 * fails when a route is answered that this document does not describe, or the other way round.
 */
const answer = {
  type: 'object',
  required: ['accepted', 'rejected', 'errors'],
  properties: {
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'reason'],
        properties: { index: { type: 'integer' }, reason: { type: 'string', description: "starts with the field's path" } },
      },
    },
  },
};
const json = (schema: unknown) => ({ 'application/json': { schema } });
const failure = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Fan dashboard HTTP ingest',
    version: '1.0.0',
    description:
      'Events from services that cannot embed a Kafka client. An answer counts an event as accepted only after Kafka acknowledged it (acks=all). A 503 means nothing was accepted; re-sending with the same event_id is always safe (de-duplicated downstream).',
  },
  servers: [{ url: 'http://127.0.0.1:8090' }],
  components: {
    securitySchemes: { service: { type: 'http', scheme: 'bearer', description: 'INGEST_TOKEN' } },
    schemas: {
      Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' } } },
      Event: {
        type: 'object',
        required: ['event_id', 'event_type', 'user_id', 'star_id', 'occurred_at', 'properties'],
        properties: {
          event_id: { type: 'string', minLength: 1, maxLength: 64, description: 'the de-duplication key; no NUL' },
          event_type: { enum: [...EVENT_TYPES] },
          user_id: { type: ['string', 'integer'], description: '64-bit id; a decimal string above 2^53' },
          star_id: { type: ['string', 'integer'] },
          occurred_at: {
            type: ['integer', 'string'],
            description: 'epoch ms or ISO-8601 with an offset (within ±14:00); 2000-01-01 to 2099-12-31 UTC; at most 24 h in the future',
          },
          properties: {
            type: 'object',
            description: 'the fields of event_type (CONTRACT §1), at most 1 KiB as JSON; amounts within ±(2^53 - 1); no NUL in text',
          },
        },
      },
    },
  },
  security: [{ service: [] }],
  paths: {
    '/v1/events': {
      post: {
        summary: 'One event',
        requestBody: { required: true, content: json({ $ref: '#/components/schemas/Event' }) },
        responses: {
          200: { description: 'accepted', content: json(answer) },
          400: { description: 'rejected, with the reason; or a body that is not valid UTF-8 or JSON', content: json(answer) },
          401: failure('no or wrong service token'),
          413: failure('body over 1 MiB (declared, sent, or once inflated): answered at once, and the connection closed'),
          415: failure('a charset other than UTF-8, or a Content-Encoding other than gzip or deflate'),
          503: failure('Kafka did not acknowledge in time; nothing accepted'),
        },
      },
    },
    '/v1/events/batch': {
      post: {
        summary: 'Up to 500 events (body ≤ 1 MiB); valid ones are accepted, invalid ones listed',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['events'],
            properties: { events: { type: 'array', minItems: 1, maxItems: 500, items: { $ref: '#/components/schemas/Event' } } },
          }),
        },
        responses: {
          200: { description: 'per-event outcome', content: json(answer) },
          400: failure('not {"events":[...]} or too many; or a body that is not valid UTF-8 or JSON'),
          401: failure('no or wrong service token'),
          413: failure('body over 1 MiB (declared, sent, or once inflated): answered at once, and the connection closed'),
          415: failure('a charset other than UTF-8, or a Content-Encoding other than gzip or deflate'),
          503: failure('Kafka did not acknowledge in time; nothing accepted'),
        },
      },
    },
    '/healthz': {
      get: {
        security: [],
        summary: 'Readiness of Kafka and the registry',
        responses: { 200: { description: 'ready' }, 503: { description: 'a dependency does not answer' } },
      },
    },
    '/metrics': {
      get: {
        security: [],
        summary: 'Prometheus metrics',
        responses: { 200: { description: 'text exposition format', content: { 'text/plain': {} } } },
      },
    },
    '/openapi.json': {
      get: {
        security: [],
        summary: 'This document',
        responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
      },
    },
  },
} as const;
