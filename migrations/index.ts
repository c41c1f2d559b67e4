/**
 * The migrations, oldest first. A migration is never edited once it has
 * landed on main; changes come as new migrations appended here.
 */
export const MIGRATIONS: Function[] = [];
