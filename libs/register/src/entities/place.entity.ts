import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';

export const PLACE_KINDS = ['kindergarten', 'school', 'playground', 'sports_club', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/**
 * A place where minors gather (reference data): what the measure
 * `ban_places_with_minors` keeps a person away from. Imported by its
 * external id (`places:import`) and edited by admins, with history.
 */
@Entity({ name: 'places' })
@Unique('places_external_id_key', ['externalId'])
@Check('places_kind_check', `"kind" IN ('kindergarten', 'school', 'playground', 'sports_club', 'other')`)
@Check('places_name_check', `length("name") BETWEEN 1 AND 200`)
@Check('places_address_check', `length("address") BETWEEN 1 AND 300`)
@Check('places_external_id_check', `"external_id" ~ '^[A-Za-z0-9._:/-]{1,60}$'`)
@Check('places_latitude_check', `"latitude" BETWEEN -90 AND 90`)
@Check('places_longitude_check', `"longitude" BETWEEN -180 AND 180`)
@Index('places_kind_idx', ['kind'])
// GiST over ll_to_earth(latitude, longitude) of the active places (migration Places).
@Index('places_location_idx', { synchronize: false })
export class Place {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The id in the source it was imported from (the ministry's register of schools, a city's list). */
  @Column({ type: 'text' })
  externalId: string;

  @Column({ type: 'text' })
  kind: PlaceKind;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'double precision' })
  latitude: number;

  @Column({ type: 'double precision' })
  longitude: number;

  /** An inactive place (closed, moved) is kept for its history and checked against no one. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @VersionColumn({ default: 1 })
  version: number;
}
