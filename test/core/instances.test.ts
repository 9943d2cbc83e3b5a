import { describe, expect, it } from 'vitest';
import { parsePlatformAddress, type PlatformAddress } from '../../electron/core/instances.js';

function address(input: string): PlatformAddress {
  const result = parsePlatformAddress(input);
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.problem.message}`);
  return result.address;
}

describe('parsePlatformAddress', () => {
  it.each([
    'acme.jfrog.io',
    'https://acme.jfrog.io',
    'https://acme.jfrog.io/',
    'https://ACME.jfrog.io/artifactory',
    'https://acme.jfrog.io/artifactory/',
    'https://acme.jfrog.io/ui/repos/tree/General/npm-virtual',
    'https://acme.jfrog.io/artifactory/api/docker/docker-local/v2/',
    'https://acme.jfrog.io:443/artifactory/webapp/#/home',
    '  https://acme.jfrog.io/?x=1  ',
  ])('reduces %j to the one SaaS instance', (input) => {
    expect(address(input)).toEqual({
      platformUrl: 'https://acme.jfrog.io/',
      artifactoryUrl: 'https://acme.jfrog.io/artifactory/',
      registryHost: 'acme.jfrog.io',
      id: 'acme.jfrog.io',
    });
  });

  it('keeps a non-default port of an on-prem server', () => {
    expect(address('https://arti.corp:8443/artifactory/')).toEqual({
      platformUrl: 'https://arti.corp:8443/',
      artifactoryUrl: 'https://arti.corp:8443/artifactory/',
      registryHost: 'arti.corp:8443',
      id: 'arti.corp-8443',
    });
  });

  it('keeps a reverse-proxy base path in front of the services', () => {
    expect(address('https://corp.example/jfrog/artifactory/webapp/#/home')).toMatchObject({
      platformUrl: 'https://corp.example/jfrog/',
      artifactoryUrl: 'https://corp.example/jfrog/artifactory/',
      id: 'corp.example-jfrog',
    });
  });

  it('defaults to https, except for the loopback demo server', () => {
    expect(address('arti.corp').platformUrl).toBe('https://arti.corp/');
    expect(address('127.0.0.1:8081').platformUrl).toBe('http://127.0.0.1:8081/');
    expect(address('localhost:8081/artifactory').platformUrl).toBe('http://localhost:8081/');
    expect(address('http://arti.corp/').platformUrl).toBe('http://arti.corp/');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['not a url', 'invalid'],
    ['ftp://arti.corp/', 'unsupported-scheme'],
    ['https://alice:secret@arti.corp/', 'credentials-in-url'],
  ])('refuses %j with a clear reason (%s)', (input, code) => {
    const result = parsePlatformAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe(code);
      expect(result.problem.message.length).toBeGreaterThan(10);
      expect(result.problem.message).not.toContain('secret');
    }
  });
});
