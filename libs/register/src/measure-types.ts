/** The five special measures of the law (README, "The domain"). */
export const MEASURE_TYPES = [
  { type: 'periodic_reporting', description: 'Report in person to the competent police administration and to UIKS' },
  { type: 'ban_places_with_minors', description: 'Ban on visiting places where minors gather' },
  { type: 'counselling', description: 'Mandatory visits to professional counselling services' },
  { type: 'notify_changes', description: 'Report a change of residence, temporary residence or workplace' },
  { type: 'notify_travel_abroad', description: 'Report travel abroad before departure' },
] as const;
