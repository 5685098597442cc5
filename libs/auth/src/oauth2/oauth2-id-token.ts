import { constants, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { isObj, type Raw } from './oauth2-preset';

/** How an id_token is checked: its claims always, its signature when a JWKS URL is known. */
export interface IdTokenRules {
  /** The `aud` claim must contain it (the client id). */
  audience: string;
  /** The `iss` claim must be one of them (none: any issuer). */
  issuers: string[];
  /** Apple requires an `exp` claim. */
  requireExp: boolean;
  /** Seconds of clock skew allowed on `exp`, `iat`, `nbf` (PocketBase's `PB_ID_TOKEN_LEEWAY`, default 5 min). */
  leewaySec: number;
  /** The provider's key set; '' skips the signature check (the token came straight from the provider over TLS). */
  jwksURL: string;
}

interface DecodedJwt {
  header: Raw;
  payload: Raw;
  signingInput: string;
  signature: Buffer;
}

function part(text: string): Raw {
  const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  if (!isObj(value)) {
    throw new Error('malformed JWT part');
  }
  return value;
}

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new Error('malformed JWT');
  }
  return {
    header: part(parts[0]),
    payload: part(parts[1]),
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

/** The id_token of a token response, or an error when there is none. */
export function idTokenOf(token: Raw): string {
  const idToken = typeof token.id_token === 'string' ? token.id_token : '';
  if (!idToken) {
    throw new Error('empty id_token');
  }
  return idToken;
}

/** The time claims: `exp` not past, `iat`/`nbf` not in the future (each within the leeway). */
function checkTimes(claims: Raw, leewaySec: number, requireExp: boolean): void {
  const now = Date.now() / 1000;
  const num = (key: string): number | undefined => {
    const value = claims[key];
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'number') {
      throw new Error(`invalid ${key} claim`);
    }
    return value;
  };
  const exp = num('exp');
  if (exp === undefined ? requireExp : exp < now - leewaySec) {
    throw new Error(exp === undefined ? 'missing exp claim' : 'token is expired');
  }
  const iat = num('iat');
  const nbf = num('nbf');
  if ((iat !== undefined && iat > now + leewaySec) || (nbf !== undefined && nbf > now + leewaySec)) {
    throw new Error('token used before issued');
  }
}

/** The claims of an id_token whose times are valid, without checking its signature (Microsoft's email claims). */
export function trustedIdTokenClaims(idToken: string, leewaySec: number): Raw {
  const claims = decodeJwt(idToken).payload;
  checkTimes(claims, leewaySec, false);
  return claims;
}

/** A JSON fetcher: the client's, with its timeout and error handling. */
export type JsonFetcher = (url: string) => Promise<unknown>;

/** Checks the claims (and, with a JWKS URL, the signature) of an id_token; returns its claims. */
export async function verifyIdToken(idToken: string, rules: IdTokenRules, fetchJson: JsonFetcher): Promise<Raw> {
  const jwt = decodeJwt(idToken);
  const claims = jwt.payload;
  checkTimes(claims, rules.leewaySec, rules.requireExp);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!rules.audience || !aud.includes(rules.audience)) {
    throw new Error('invalid aud claim');
  }
  if (rules.issuers.length > 0 && !rules.issuers.includes(String(claims.iss))) {
    throw new Error(`iss must be one of ${rules.issuers.join(', ')}`);
  }
  if (rules.jwksURL) {
    await verifySignature(jwt, rules.jwksURL, fetchJson);
  }
  return claims;
}

async function verifySignature(jwt: DecodedJwt, jwksURL: string, fetchJson: JsonFetcher): Promise<void> {
  const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : '';
  if (!kid) {
    throw new Error('missing kid header value');
  }
  const set = await fetchJson(jwksURL);
  const keys: unknown[] = isObj(set) && Array.isArray(set.keys) ? set.keys : [];
  const jwk = keys.filter(isObj).find((k) => k.kid === kid && typeof k.alg === 'string' && k.alg !== '');
  if (!jwk) {
    throw new Error(`missing JWK with kid "${kid}" and non-empty alg`);
  }
  if (jwt.header.alg !== jwk.alg) {
    throw new Error(`the token's alg ${String(jwt.header.alg)} is not the key's ${String(jwk.alg)}`);
  }
  if (!checkSignature(String(jwk.alg), jwk, jwt)) {
    throw new Error('invalid id_token signature');
  }
}

function checkSignature(alg: string, jwk: JsonWebKey, jwt: DecodedJwt): boolean {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const data = Buffer.from(jwt.signingInput);
  const bits = alg.slice(2);
  const hash = ['256', '384', '512'].includes(bits) ? `sha${bits}` : '';
  if (alg === 'EdDSA') {
    return verify(null, data, key, jwt.signature);
  }
  if (!hash) {
    throw new Error(`unsupported alg ${alg}`);
  }
  switch (alg.slice(0, 2)) {
    case 'RS':
      return verify(hash, data, key, jwt.signature);
    case 'PS':
      return verify(
        hash,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        jwt.signature,
      );
    case 'ES':
      return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
    default:
      throw new Error(`unsupported alg ${alg}`);
  }
}
