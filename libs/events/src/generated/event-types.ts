// Generated from schemas/avro/*.avsc by `npm run schemas:types`. Do not edit.

/** Fields every dashboard event carries. */
export type EventBase = {
  /** Unique id, 1-64 chars; the de-duplication key */
  event_id: string;
  /** For asset events: the asset owner */
  user_id: bigint;
  star_id: bigint;
  /** Epoch milliseconds (UTC) */
  occurred_at: bigint;
};

export type AssetLikeProperties = {
  asset_id: bigint;
  liker_user_id: bigint;
  /** Crystals the owner earned, >= 0 */
  amount: bigint;
};

export type AssetMintProperties = {
  asset_id: bigint;
  /** One of levels.json order */
  level: string;
  asset_name: string;
  asset_thumb: string;
};

export type ExhibitionStartProperties = {
  asset_id: bigint;
  slot_id: bigint;
};

export type ExhibitionEndProperties = {
  asset_id: bigint;
  slot_id: bigint;
  /** >= 0 */
  duration_ms: bigint;
};

export type ExhibitionRevenueProperties = {
  asset_id: bigint;
  /** >= 0 */
  amount: bigint;
  /** >= 0 */
  duration_ms: bigint;
};

export type AssetLevelUpProperties = {
  asset_id: bigint;
  from_level: string;
  to_level: string;
};

export type CrystalChangeProperties = {
  /** Signed delta */
  amount: bigint;
  balance_after: bigint;
  reason: string;
};

/** The properties record of each event type. */
export type PropertiesByType = {
  'asset.like': AssetLikeProperties;
  'asset.mint': AssetMintProperties;
  'exhibition.start': ExhibitionStartProperties;
  'exhibition.end': ExhibitionEndProperties;
  'exhibition.revenue': ExhibitionRevenueProperties;
  'asset.level_up': AssetLevelUpProperties;
  'crystal.change': CrystalChangeProperties;
};

/** Fields every app activity event carries. */
export type ActivityBase = {
  /** Unique id, 1-64 chars; the de-duplication key */
  event_id: string;
  /** The device install, 1-64 chars */
  install_id: string;
  /** The signed-in user, if any */
  user_id: null | bigint;
  /** Epoch milliseconds (UTC) */
  occurred_at: bigint;
};

export type AppSessionStartProperties = {
  os: null | string;
  os_version: null | string;
  app_version: null | string;
  network_type: null | string;
  province: null | string;
  city: null | string;
};

export type AppSessionEndProperties = Record<string, never>;

export type PresenceHeartbeatProperties = {
  app_version: null | string;
};

/** The properties record of each event type. */
export type ActivityPropertiesByType = {
  'app.session_start': AppSessionStartProperties;
  'app.session_end': AppSessionEndProperties;
  'presence.heartbeat': PresenceHeartbeatProperties;
};
