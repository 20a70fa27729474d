import { Type, type Static } from 'typebox';
import { Id, Strict, Timestamp, NullableTimestamp, Uuid, PageQuery } from './schemas.ts';

/** The grid registry (GB/T 31000-2015): people, special groups, places, organisations, visits; grids on the map. */

export const Crs = Type.Enum(['wgs84', 'gcj02', 'bd09'], { description: 'Coordinate system of the input; stored as WGS-84' });
const Text = (max: number) => Type.String({ maxLength: max });
const OrNull = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Attributes = Type.Record(Type.String(), Type.Unknown(), { description: 'Fields the code tables define for the kind' });
export const ResidencyCode = Type.String({ maxLength: 20, description: 'registered | floating | overseas | unsettled (or the Chinese label)' });
export const PersonStatus = Type.Enum(['active', 'archived', 'purged']);
export const PersonField = Type.Enum(['name', 'idNumber', 'phone', 'address', 'groupDetails']);

export const PersonGroupSummary = Strict({
  kind: Type.String(), attentionLevel: Type.String(), nextFollowUpOn: Type.Union([Type.String(), Type.Null()]),
});
export const Person = Strict({
  id: Uuid, residency: Type.String(), status: PersonStatus,
  name: Type.Union([Type.String({ description: 'Masked: 张*三' }), Type.Null()]),
  idNumber: Type.Union([Type.String({ description: 'Masked: 110101********0011' }), Type.Null()]),
  phone: Type.Union([Type.String({ description: 'Masked: 138****5678' }), Type.Null()]),
  hasAddress: Type.Boolean(), gender: Type.Union([Type.String(), Type.Null()]), birthYear: Type.Union([Type.Integer(), Type.Null()]),
  householdNo: Type.Union([Type.String(), Type.Null()]), relationToHead: Type.Union([Type.String(), Type.Null()]),
  room: Type.Union([Type.String(), Type.Null()]), placeId: Type.Union([Id, Type.Null()]), areaId: Id, areaPath: Type.String(),
  attributes: Attributes, groups: Type.Array(PersonGroupSummary),
  createdAt: Timestamp, updatedAt: Timestamp, archivedAt: NullableTimestamp, purgedAt: NullableTimestamp,
});
export type Person = Static<typeof Person>;

const personFields = {
  name: Type.String({ minLength: 1, maxLength: 50 }),
  idNumber: Type.Optional(OrNull(Type.String({ maxLength: 18, description: 'Checked per GB 11643' }))),
  phone: Type.Optional(OrNull(Type.String({ maxLength: 20 }))),
  address: Type.Optional(OrNull(Text(200))),
  gender: Type.Optional(OrNull(Text(10))),
  householdNo: Type.Optional(OrNull(Text(30))),
  relationToHead: Type.Optional(OrNull(Text(20))),
  room: Type.Optional(OrNull(Text(30))),
  placeId: Type.Optional(Type.Union([Id, Type.Null()])),
  attributes: Type.Optional(Attributes),
};
export const PersonCreate = Strict({ residency: ResidencyCode, areaId: Type.Optional(Id), ...personFields });
export const PersonUpdate = Strict({
  residency: Type.Optional(ResidencyCode), areaId: Type.Optional(Id), ...personFields, name: Type.Optional(personFields.name),
}, { minProperties: 1 });
export const PersonQuery = Strict({
  areaId: Type.Optional(Id), placeId: Type.Optional(Id), residency: Type.Optional(Text(20)), group: Type.Optional(Text(40)),
  attention: Type.Optional(Text(20)), idNumber: Type.Optional(Type.String({ maxLength: 18, description: 'Exact match through the blind index' })),
  phone: Type.Optional(Type.String({ maxLength: 20, description: 'Exact match through the blind index' })), status: Type.Optional(PersonStatus), ...PageQuery,
});
export const PersonGroupPut = Strict({
  attentionLevel: Type.String({ maxLength: 20 }), details: Attributes,
  nextFollowUpOn: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), Type.Null()])),
});
export const PersonUnmask = Strict({ field: PersonField, reason: Type.String({ minLength: 1, maxLength: 200 }) });
export const Reason = Strict({ reason: Type.String({ minLength: 1, maxLength: 200 }) });

export const ImportProblem = Strict({ row: Type.Integer(), field: Type.String(), problem: Type.String() });
export const ImportReport = Strict({
  rows: Type.Integer(), imported: Type.Integer(), skipped: Type.Integer(),
  committed: Type.Boolean({ description: 'false: nothing was written (problems found and skipInvalid not set)' }),
  problems: Type.Array(ImportProblem),
});
export type ImportReport = Static<typeof ImportReport>;
export const PeopleImportQuery = Strict({
  format: Type.Enum(['csv', 'xlsx']), areaId: Type.Optional(Id), skipInvalid: Type.Optional(Type.Boolean()),
});

export const Point = Strict({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });
export const Place = Strict({
  id: Id, code: Type.String(), kind: Type.String(), name: Type.String(), address: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Point, Type.Null()]), areaId: Id, areaPath: Type.String(), attributes: Attributes, active: Type.Boolean(),
  createdAt: Timestamp, updatedAt: Timestamp,
});
export type Place = Static<typeof Place>;
const Location = Strict({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }), crs: Type.Optional(Crs) });
export const PlaceCreate = Strict({
  kind: Text(30), name: Type.String({ minLength: 1, maxLength: 100 }), address: Type.Optional(OrNull(Text(200))),
  areaId: Type.Optional(Id), code: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z-]{4,24}$' })),
  location: Type.Optional(Type.Union([Location, Type.Null()])), attributes: Type.Optional(Attributes),
});
export const PlaceUpdate = Strict({
  kind: Type.Optional(Text(30)), name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), address: Type.Optional(OrNull(Text(200))),
  areaId: Type.Optional(Id), location: Type.Optional(Type.Union([Location, Type.Null()])), attributes: Type.Optional(Attributes), active: Type.Optional(Type.Boolean()),
}, { minProperties: 1 });
export const PlaceQuery = Strict({ areaId: Type.Optional(Id), kind: Type.Optional(Text(30)), q: Type.Optional(Text(50)), ...PageQuery });
export const QrSheetQuery = Strict({
  areaId: Id, format: Type.Optional(Type.Enum(['html', 'svg'])), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  kind: Type.Optional(Text(30)),
});

export const RegistryOrganization = Strict({
  id: Id, kind: Type.String(), name: Type.String(), creditCode: Type.Union([Type.String(), Type.Null()]),
  contactName: Type.Union([Type.String(), Type.Null()]), contactPhone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]), placeId: Type.Union([Id, Type.Null()]), areaId: Id, areaPath: Type.String(), createdAt: Timestamp,
});
export const RegistryOrganizationCreate = Strict({
  kind: Text(30), name: Type.String({ minLength: 1, maxLength: 100 }), creditCode: Type.Optional(OrNull(Type.String({ maxLength: 18, description: 'GB 32100' }))),
  contactName: Type.Optional(OrNull(Text(50))), contactPhone: Type.Optional(OrNull(Text(20))), address: Type.Optional(OrNull(Text(200))),
  areaId: Type.Optional(Id), placeId: Type.Optional(Type.Union([Id, Type.Null()])), attributes: Type.Optional(Attributes),
});

export const SubjectType = Type.Enum(['person', 'place', 'organization']);
/** A person's id (a UUID) or a place's or organisation's (a whole number). */
const SubjectId = Type.String({ pattern: '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[1-9][0-9]{0,8})$' });
export const Visit = Strict({
  id: Type.Integer(), subjectType: SubjectType, subjectId: Type.String(), kind: Type.String(), visitedAt: Timestamp, visitorName: Type.String(), note: Type.String(),
});
export const VisitCreate = Strict({
  subjectType: SubjectType, subjectId: SubjectId, kind: Text(20),
  note: Type.String({ minLength: 1, maxLength: 2000 }), visitedAt: Type.Optional(Timestamp),
});
export const VisitQuery = Strict({ subjectType: Type.Optional(SubjectType), subjectId: Type.Optional(SubjectId), areaId: Type.Optional(Id), ...PageQuery });

const Geometry = Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }, { description: 'GeoJSON Polygon or MultiPolygon' });
export const GridImportQuery = Strict({ crs: Crs, parentCode: Type.Optional(Text(20)), skipInvalid: Type.Optional(Type.Boolean()) });
export const GridImportReport = Strict({
  features: Type.Integer(), created: Type.Integer(), updated: Type.Integer(), skipped: Type.Integer(), committed: Type.Boolean(),
  problems: Type.Array(Strict({ index: Type.Integer(), name: Type.Optional(Type.String()), reason: Type.String() })),
});
export type GridImportReport = Static<typeof GridImportReport>;
export const BoundaryPut = Strict({ geometry: Geometry, crs: Crs });
export const GridLookupQuery = Strict({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }), crs: Type.Optional(Crs) });
export const GridLookup = Strict({
  grid: Type.Union([Strict({ id: Id, name: Type.String(), code: Type.Union([Type.String(), Type.Null()]), path: Type.String() }), Type.Null()]),
  point: Point,
});
export const GridWorker = Strict({ id: Uuid, username: Type.String(), name: Type.String(), organization: Type.String() });
export const GridOverview = Strict({
  grid: Strict({ id: Id, name: Type.String(), code: Type.Union([Type.String(), Type.Null()]), path: Type.String(), level: Type.String(), boundary: Type.Union([Geometry, Type.Null()]) }),
  workers: Type.Array(GridWorker),
  counts: Strict({ people: Type.Integer(), special: Type.Integer(), places: Type.Integer(), organizations: Type.Integer(), openCases: Type.Integer() }),
  people: Type.Array(Person), places: Type.Array(Place), organizations: Type.Array(RegistryOrganization),
  openCases: Type.Array(Strict({ id: Uuid, number: Type.String(), status: Type.String(), description: Type.String(), createdAt: Timestamp })),
});
export type GridOverview = Static<typeof GridOverview>;
export const GridWorkersPut = Strict({ userIds: Type.Array(Uuid, { maxItems: 20 }) });

export const MapFeature = Strict({
  type: Type.Literal('Feature'), geometry: Geometry,
  properties: Strict({
    id: Id, name: Type.String(), code: Type.Union([Type.String(), Type.Null()]), level: Type.String(),
    openCases: Type.Integer(), highAttention: Type.Integer(), center: Type.Array(Type.Number()),
  }),
});
export const AreaMap = Strict({
  area: Strict({ id: Id, name: Type.String(), level: Type.String(), path: Type.String() }),
  bbox: Type.Union([Type.Array(Type.Number()), Type.Null()]),
  type: Type.Literal('FeatureCollection'), features: Type.Array(MapFeature),
  clusters: Type.Array(Strict({ lon: Type.Number(), lat: Type.Number(), count: Type.Integer() })),
  tileUrl: Type.Union([Type.String(), Type.Null()]),
});
export type AreaMap = Static<typeof AreaMap>;
export type GridLookup = Static<typeof GridLookup>;

export const CodeItem = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });
const FieldDef = Type.Object({
  key: Type.String(), zh: Type.String(), en: Type.String(), required: Type.Boolean(),
  type: Type.Optional(Type.String()), options: Type.Optional(Type.Array(CodeItem)),
});
const KindDef = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), fields: Type.Array(FieldDef), followUpDays: Type.Optional(Type.Integer()) });
export const CodeTables = Type.Object({
  version: Type.String(), source: Type.String(),
  residency: Type.Array(CodeItem), gender: Type.Array(CodeItem), relationToHead: Type.Array(CodeItem), attentionLevels: Type.Array(CodeItem),
  groups: Type.Array(KindDef), placeKinds: Type.Array(KindDef), organizationKinds: Type.Array(CodeItem), visitKinds: Type.Array(CodeItem),
});
export type CodeTables = Static<typeof CodeTables>;
export const Unmasked = Strict({ field: Type.String(), value: Type.Union([Type.String(), Type.Null()]), auditId: Type.Integer() });
export const KindParams = Strict({ id: Uuid, kind: Type.String({ maxLength: 40 }) });
