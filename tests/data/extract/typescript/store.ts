import { Injectable } from './di';

export interface Repository<T> {
  find(id: string): Promise<T | undefined>;
  save(item: T): void;
}

export enum Status {
  Active,
  Archived,
}

/** A store that caches what its repository returns. */
@Injectable()
export class Store<T extends { id: string }> implements Repository<T> {
  private cache = new Map<string, T>();

  constructor(private readonly backend: Repository<T>, private limit = 10) {}

  async find(id: string): Promise<T | undefined> {
    const hit = this.cache.get(id);
    if (hit !== undefined && this.limit > 0) {
      return hit;
    }
    return this.backend.find(id);
  }

  find2(id: string): T;
  find2(id: number): T;
  find2(id: string | number): T {
    return typeof id === 'string' ? this.cache.get(id)! : [...this.cache.values()][id];
  }

  save(item: T): void {
    this.cache.set(item.id, item);
  }

  @Memo()
  get size(): number {
    return this.cache.size;
  }

  private evict = (count: number): void => {
    for (let i = 0; i < count; i++) {
      this.cache.delete([...this.cache.keys()][0]);
    }
  };
}

export abstract class Shape {
  abstract area(): number;

  describe(this: Shape, prefix?: string): string {
    return `${prefix ?? ''}${this.area()}`;
  }
}

export namespace Geometry {
  export function distance(a: number, b: number): number {
    return Math.abs(a - b);
  }
}

declare function ambient(x: number): void;

export const handler = async <T,>(event: T): Promise<T> => event;

export function overloaded(x: string): string;
export function overloaded(x: number): number;
export function overloaded(x: any): any {
  return x;
}
