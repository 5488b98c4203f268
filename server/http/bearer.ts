/** The token of an `Authorization: Bearer <token>` header, or undefined. The one parser of that header. */
export function parseBearer(authorization: string | null | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}
