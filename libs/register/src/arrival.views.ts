import type { Arrival } from './entities/arrival.entity';

export interface ArrivalView {
  id: string;
  policeAdministration: string;
  validUntil: string;
  announcedBy: string;
  announcedAt: Date;
  closedAt: Date | null;
  recordedAddressId: string | null;
}

export const toArrivalView = (a: Arrival): ArrivalView => ({
  id: a.id,
  policeAdministration: a.policeAdministration,
  validUntil: a.validUntil,
  announcedBy: a.announcedBy,
  announcedAt: a.announcedAt,
  closedAt: a.closedAt,
  recordedAddressId: a.recordedAddressId,
});
