/**
 * The path of a request target as the router reads it: an absolute-form
 * target (`http://host/api/v1/...`) reduced to its path, the query and
 * fragment cut off, and percent-encoding undone as the router undoes it
 * (`decodeURI`: `%2F` and the other reserved characters stay encoded). A
 * segment that is not valid percent-encoded UTF-8 is kept as it was sent
 * (the router refuses the request, and the caller still learns where it
 * was aimed).
 */
export function routedPath(url: string): string {
  let target = url;
  if (target.charCodeAt(0) !== 0x2f) {
    const origin = /^https?:\/\/[^/?#]*/i.exec(target);
    if (origin) target = target.slice(origin[0].length);
  }
  const end = target.search(/[?#]/);
  const path = (end === -1 ? target : target.slice(0, end)) || '/';
  return path.includes('%') ? path.split('/').map(decodeSegment).join('/') : path;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURI(segment);
  } catch {
    return segment;
  }
}
