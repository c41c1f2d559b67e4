import { DomainError } from '@app/common';

export interface Coordinates {
  latitude?: number | null;
  longitude?: number | null;
}

/** Coordinates come in pairs: one without the other is a 400 naming the missing one. */
export function assertPairedCoordinates(value: Coordinates): void {
  const hasLatitude = value.latitude !== undefined && value.latitude !== null;
  const hasLongitude = value.longitude !== undefined && value.longitude !== null;
  if (hasLatitude === hasLongitude) return;
  throw DomainError.validation([
    hasLatitude
      ? { field: 'longitude', message: 'must be given with latitude (both or neither)' }
      : { field: 'latitude', message: 'must be given with longitude (both or neither)' },
  ]);
}

/** A view's coordinates: present only when recorded (the answers of records without them are unchanged). */
export function coordinatesOf(value: { latitude: number | null; longitude: number | null }): {
  latitude?: number;
  longitude?: number;
} {
  return value.latitude === null || value.longitude === null
    ? {}
    : { latitude: value.latitude, longitude: value.longitude };
}
