#!/usr/bin/env node
// An offline stand-in for the AWS provider (registry.terraform.io/hashicorp/aws 6.25.0) that
// Terraform starts like any provider plugin: HashiCorp go-plugin over gRPC, plugin protocol 6,
// with the mutual TLS Terraform asks for. It serves the real provider's schema and plans and
// applies without calling AWS; see terraform/README.md for what it reproduces and what not.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import * as provider from './lib/provider.mjs';

const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE) {
  console.error('This binary is a plugin. These are not meant to be executed directly.\n'
    + 'Please execute the program that consumes these plugins, which will load any plugins automatically.');
  process.exit(1);
}

const here = new URL('.', import.meta.url).pathname;
const load = (file) => grpc.loadPackageDefinition(protoLoader.loadSync(join(here, file), {
  keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true,
}));
const tfplugin6 = load('third_party/terraform-plugin-go/tfplugin6.proto').tfplugin6;
const health = load('proto/health.proto').grpc.health.v1;
const controller = load('proto/controller.proto').plugin;

/** A self-signed EC P-256 certificate for localhost, for server and client authentication. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'tf-offline-provider-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign',
      '-addext', 'extendedKeyUsage=serverAuth,clientAuth'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const unary = (fn, name) => (call, callback) => {
  try {
    callback(null, fn(call.request));
  } catch (e) {
    console.error(`offline provider: ${name} failed: ${e.stack}`);
    callback(null, { diagnostics: [{ severity: 'ERROR', summary: `Offline provider: ${name} failed`, detail: String(e.message) }] });
  }
};

const server = new grpc.Server();
server.addService(tfplugin6.Provider.service, {
  GetMetadata: unary(provider.getMetadata, 'GetMetadata'),
  GetProviderSchema: unary(provider.getProviderSchema, 'GetProviderSchema'),
  ValidateProviderConfig: unary(provider.validateProviderConfig, 'ValidateProviderConfig'),
  ValidateResourceConfig: unary(provider.validateResourceConfig, 'ValidateResourceConfig'),
  ValidateDataResourceConfig: unary(provider.validateDataResourceConfig, 'ValidateDataResourceConfig'),
  UpgradeResourceState: unary(provider.upgradeResourceState, 'UpgradeResourceState'),
  ConfigureProvider: unary(provider.configureProvider, 'ConfigureProvider'),
  ReadResource: unary(provider.readResource, 'ReadResource'),
  PlanResourceChange: unary(provider.planResourceChange, 'PlanResourceChange'),
  ApplyResourceChange: unary(provider.applyResourceChange, 'ApplyResourceChange'),
  ImportResourceState: unary(provider.importResourceState, 'ImportResourceState'),
  ReadDataSource: unary(provider.readDataSource, 'ReadDataSource'),
  GetFunctions: unary(provider.getFunctions, 'GetFunctions'),
  StopProvider: unary(provider.stopProvider, 'StopProvider'),
});
server.addService(health.Health.service, {
  Check: (call, callback) => callback(null, { status: 'SERVING' }),
});
server.addService(controller.GRPCController.service, {
  Shutdown: (call, callback) => {
    callback(null, {});
    // Terraform waits for the process to exit; open connections would hold a graceful shutdown.
    setTimeout(() => { server.forceShutdown(); process.exit(0); }, 20);
  },
});

const { key, cert } = certificate();
const clientCert = process.env.PLUGIN_CLIENT_CERT;
const credentials = clientCert
  ? grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: key, cert_chain: cert }], true)
  : grpc.ServerCredentials.createInsecure();

server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
  if (err) { console.error(`offline provider: cannot listen: ${err.message}`); process.exit(1); }
  const der = clientCert ? new X509Certificate(cert).raw.toString('base64').replace(/=+$/, '') : '';
  // go-plugin's handshake: core protocol 1, plugin protocol 6, address, gRPC, server certificate.
  process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc|${der}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
