/**
 * Calls `emit` at most once per `intervalMs` (the first call always passes); `flush` emits
 * the latest value regardless, for the final state.
 */
export function throttled<T>(
  emit: ((value: T) => void) | undefined,
  intervalMs: number,
  now: () => number = Date.now,
) {
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(make: () => T): void {
      if (!emit) return;
      const time = now();
      if (time - last < intervalMs) return;
      last = time;
      emit(make());
    },
    flush(make: () => T): void {
      if (!emit) return;
      last = now();
      emit(make());
    },
  };
}
