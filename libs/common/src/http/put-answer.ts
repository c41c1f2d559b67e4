/**
 * The answer of a PUT that creates or replaces: 201 for a creation, 200 for
 * a replacement, decided by the work. The audit layer records that status,
 * the controller answers with it.
 */
export class PutAnswer<V> {
  constructor(
    readonly view: V,
    readonly created: boolean,
  ) {}

  get status(): 200 | 201 {
    return this.created ? 201 : 200;
  }
}
