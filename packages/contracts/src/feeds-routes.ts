import { Type } from 'typebox';
import * as S from './schemas.ts';
import * as F from './feeds.ts';
import type { RouteContract } from './routes.ts';

/**
 * Inbound feeds' administration; `routes` (routes.ts) includes them. The platforms' own signed messages arrive at
 * POST /api/v1/feeds/{id}/messages, outside these contracts (the signature covers the raw bytes).
 */
const route = <const R extends RouteContract>(c: R) => c;
const tags = ['feeds'];
const SourceParams = S.Strict({ id: S.Uuid });
const DeviceParams = S.Strict({ id: S.Uuid, deviceId: S.Uuid });

export const feedRoutes = {
  listFeedSources: route({
    operationId: 'listFeedSources', method: 'GET', url: '/api/v1/feeds', auth: 'user', tags,
    summary: 'The platforms that send reports in (12345, police, petitions, devices), within the administrator’s jurisdiction',
    response: Type.Object({ items: Type.Array(F.FeedSource) }, { additionalProperties: false }),
  }),
  createFeedSource: route({
    operationId: 'createFeedSource', method: 'POST', url: '/api/v1/feeds', auth: 'user', tags, status: 201,
    summary: 'Connect a platform: its kind, the integration account its cases are filed as; answers the signing secret once',
    body: F.FeedSourceCreate, response: F.FeedSourceCreated,
  }),
  updateFeedSource: route({
    operationId: 'updateFeedSource', method: 'PATCH', url: '/api/v1/feeds/:id', auth: 'user', tags,
    summary: 'Change a platform’s name, default category, status callback, alarm window, or switch it off', params: SourceParams,
    body: F.FeedSourceUpdate, response: F.FeedSource,
  }),
  rotateFeedSecret: route({
    operationId: 'rotateFeedSecret', method: 'POST', url: '/api/v1/feeds/:id/secret', auth: 'user', tags,
    summary: 'A new signing secret for a platform (the old one stops at once); answered once', params: SourceParams, response: F.FeedSourceCreated,
  }),
  listFeedDevices: route({
    operationId: 'listFeedDevices', method: 'GET', url: '/api/v1/feeds/:id/devices', auth: 'user', tags,
    summary: 'A device platform’s devices, each at its registered place, with its open case and alarm count', params: SourceParams,
    response: Type.Object({ items: Type.Array(F.FeedDevice) }, { additionalProperties: false }),
  }),
  createFeedDevice: route({
    operationId: 'createFeedDevice', method: 'POST', url: '/api/v1/feeds/:id/devices', auth: 'user', tags, status: 201,
    summary: 'Register a device (smoke, access control, elevator, e-bike charging, high-altitude throwing) to a place', params: SourceParams,
    body: F.FeedDeviceCreate, response: F.FeedDevice,
  }),
  updateFeedDevice: route({
    operationId: 'updateFeedDevice', method: 'PATCH', url: '/api/v1/feeds/:id/devices/:deviceId', auth: 'user', tags,
    summary: 'Move a device to another place, change its name or category, or switch it off', params: DeviceParams,
    body: F.FeedDeviceUpdate, response: F.FeedDevice,
  }),
};
