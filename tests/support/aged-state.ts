import type { Props } from "./wire";

/** The credentials' recorded state as it is `seconds` later: `expiresAt` and `renewAt` moved that far into the past. */
export function aged(state: Props, seconds: number): Props {
  const earlier = (iso: unknown) => new Date(Date.parse(String(iso)) - seconds * 1000).toISOString();
  return { ...state, expiresAt: earlier(state.expiresAt), renewAt: earlier(state.renewAt) };
}
