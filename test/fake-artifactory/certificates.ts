import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import * as der from './der.js';

const OID = {
  commonName: '2.5.4.3',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateRsaKeyPair(): KeyPair {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** JFrog's `kid` looks like a 43-character base64url SHA-256 thumbprint; ours is exactly that. */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

const name = (commonName: string): Buffer =>
  der.sequence(der.set(der.sequence(der.objectIdentifier(OID.commonName), der.utf8String(commonName))));

const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
  der.sequence(der.objectIdentifier(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value));

export interface CertificateRequest {
  subject: string;
  issuer: { name: string; privateKey: KeyObject };
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** DNS names and IPv4 addresses for a TLS server certificate. */
  altNames?: string[];
}

export interface Certificate {
  der: Buffer;
  pem: string;
}

export function createCertificate(request: CertificateRequest): Certificate {
  const algorithm = der.sequence(der.objectIdentifier(OID.sha256WithRsa), der.nullValue());
  const extensions = [
    extension(OID.basicConstraints, true, der.sequence(...(request.isCa ? [der.boolean(true)] : []))),
    // keyCertSign + cRLSign for a CA; digitalSignature + keyEncipherment for a server.
    extension(OID.keyUsage, true, der.bitString(Buffer.from([request.isCa ? 0x06 : 0xa0]))),
  ];
  if (request.altNames?.length) {
    const names = request.altNames.map((entry) =>
      /^\d+\.\d+\.\d+\.\d+$/.test(entry)
        ? der.implicitPrimitive(7, Buffer.from(entry.split('.').map(Number)))
        : der.implicitPrimitive(2, Buffer.from(entry, 'ascii')),
    );
    extensions.push(extension(OID.subjectAltName, false, der.sequence(...names)));
    extensions.push(extension(OID.extendedKeyUsage, false, der.sequence(der.objectIdentifier(OID.serverAuth))));
  }
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    name(request.issuer.name),
    der.sequence(der.time(request.notBefore), der.time(request.notAfter)),
    name(request.subject),
    request.publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, request.issuer.privateKey);
  const certificate = der.sequence(tbs, algorithm, der.bitString(signature));
  return { der: certificate, pem: new X509Certificate(certificate).toString() };
}

/** The Access root certificate: `CN=JFrog Token Issuer jfac@<id>`, self-signed, valid until the year 7000. */
export function createTokenIssuerCertificate(keys: KeyPair, accessServiceId: string, now: Date): Certificate {
  const subject = `JFrog Token Issuer ${accessServiceId}`;
  return createCertificate({
    subject,
    issuer: { name: subject, privateKey: keys.privateKey },
    publicKey: keys.publicKey,
    notBefore: now,
    notAfter: new Date(Date.UTC(7000, 0, 1)),
    isCa: true,
  });
}

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A private CA and a server certificate for 127.0.0.1 and localhost, for HTTPS tests. */
export function createLoopbackTls(now: Date): TlsMaterial {
  const caKeys = generateRsaKeyPair();
  const serverKeys = generateRsaKeyPair();
  const caName = 'Artikey Fake Artifactory Test CA';
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
  const ca = createCertificate({
    subject: caName,
    issuer: { name: caName, privateKey: caKeys.privateKey },
    publicKey: caKeys.publicKey,
    notBefore: new Date(now.getTime() - 3600 * 1000),
    notAfter,
    isCa: true,
  });
  const server = createCertificate({
    subject: 'localhost',
    issuer: { name: caName, privateKey: caKeys.privateKey },
    publicKey: serverKeys.publicKey,
    notBefore: new Date(now.getTime() - 3600 * 1000),
    notAfter,
    isCa: false,
    altNames: ['localhost', '127.0.0.1'],
  });
  return {
    caPem: ca.pem,
    certPem: server.pem,
    keyPem: serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
