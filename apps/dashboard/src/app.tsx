import { LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { saveKey, savedKey } from './api/client';
import { KeyForm } from './components/key-form';
import { RefreshTick } from './api/refresh';
import { RANGES, useHref, useTimeRange } from './api/time-range';
import { Overview } from './pages/overview';

// The overview is in the first bundle; every other page loads when it is first opened.
const AppUsage = lazy(() => import('./pages/app-usage').then((m) => m.AppUsage));
const Developers = lazy(() => import('./pages/developers').then((m) => m.Developers));
const PrTraces = lazy(() => import('./pages/pr-traces').then((m) => m.PrTraces));
const PrTraceDetail = lazy(() => import('./pages/pr-trace').then((m) => m.PrTraceDetail));
const Services = lazy(() => import('./pages/services').then((m) => m.Services));
const SpanTree = lazy(() => import('./pages/span-tree').then((m) => m.SpanTreePage));
const CodeScanning = lazy(() => import('./pages/code-scanning').then((m) => m.CodeScanning));
const ScanRepo = lazy(() => import('./pages/scan-repo').then((m) => m.ScanRepo));

const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/app-usage', label: 'App usage' },
  { path: '/developers', label: 'Developers' },
  { path: '/pr-traces', label: 'PR traces' },
  { path: '/services', label: 'Services' },
  { path: '/code-scanning', label: 'Code scanning' },
];

/** How often the shown figures are read again while auto-refresh is on. */
const REFRESH_MS = 30_000;

export function App() {
  return (
    <LocationProvider scope="/dashboard">
      <Shell />
    </LocationProvider>
  );
}

function Shell() {
  const [tick, setTick] = useState(0);
  const [auto, setAuto] = useState(true);
  const [updatedAt, setUpdatedAt] = useState(new Date());
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => {
      setTick((t) => t + 1);
      setUpdatedAt(new Date());
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto]);
  return (
    <RefreshTick.Provider value={tick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Telemetry Hub</span>
        <Nav />
        <div class="controls">
          <RangePicker />
          <label class="auto">
            <input type="checkbox" checked={auto} onChange={() => setAuto(!auto)} /> Auto-refresh
          </label>
          <button
            type="button"
            onClick={() => {
              setTick((t) => t + 1);
              setUpdatedAt(new Date());
            }}
          >
            Refresh now
          </button>
          <span class="updated" data-testid="last-updated">
            Updated {updatedAt.toLocaleTimeString()}
          </span>
          <KeyButton />
        </div>
      </header>
      <SignInBar />
      <main id="main" tabIndex={-1}>
        <Router>
          <Route path="/dashboard/" component={Overview} />
          <Route path="/dashboard/app-usage" component={AppUsage} />
          <Route path="/dashboard/developers" component={Developers} />
          <Route path="/dashboard/pr-traces" component={PrTraces} />
          <Route path="/dashboard/pr-traces/:traceId" component={PrTraceDetail} />
          <Route path="/dashboard/services" component={Services} />
          <Route path="/dashboard/services/traces/:traceId" component={SpanTree} />
          <Route path="/dashboard/code-scanning" component={CodeScanning} />
          <Route path="/dashboard/code-scanning/repos/:owner/:repo" component={ScanRepo} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </RefreshTick.Provider>
  );
}

function Nav() {
  const { path } = useLocation();
  const href = useHref();
  const here = path.replace(/^\/dashboard/, '') || '/';
  return (
    <nav aria-label="Pages">
      {PAGES.map((page) => {
        const active = page.path === '/' ? here === '/' : here.startsWith(page.path);
        return (
          <a key={page.path} href={href(page.path)} aria-current={active ? 'page' : undefined}>
            {page.label}
          </a>
        );
      })}
    </nav>
  );
}

/** The time range of every page, kept in the URL: a preset, or two days. */
function RangePicker() {
  const { path, query, route } = useLocation();
  const range = useTimeRange();
  const go = (params: Record<string, string>) => {
    const rest = Object.entries(query).filter(([k]) => !['range', 'from', 'to'].includes(k));
    const search = new URLSearchParams([...rest, ...Object.entries(params)]).toString();
    route(`${path}?${search}`);
  };
  return (
    <div class="range" role="group" aria-label="Time range">
      <select
        aria-label="Time range"
        data-testid="range"
        value={range.id}
        onChange={(e) => {
          const id = (e.target as HTMLSelectElement).value;
          go(id === 'custom' ? { from: range.from, to: range.to } : { range: id });
        }}
      >
        {RANGES.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
        <option value="custom">Custom</option>
      </select>
      {range.id === 'custom' ? (
        <>
          <input
            type="date"
            aria-label="From"
            value={range.from}
            onChange={(e) => go({ from: (e.target as HTMLInputElement).value, to: range.to })}
          />
          <input
            type="date"
            aria-label="To"
            value={range.to}
            onChange={(e) => go({ from: range.from, to: (e.target as HTMLInputElement).value })}
          />
        </>
      ) : null}
    </div>
  );
}

/** Signs in with an API key (kept in this browser), or out. */
function KeyButton() {
  const [key, setKey] = useState(savedKey());
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const changed = () => setKey(savedKey());
    window.addEventListener('telemetry-hub:key', changed);
    return () => window.removeEventListener('telemetry-hub:key', changed);
  }, []);
  if (open) return <KeyForm onDone={() => setOpen(false)} />;
  return (
    <button type="button" onClick={() => (key ? saveKey(undefined) : setOpen(true))}>
      {key ? 'Sign out' : 'API key'}
    </button>
  );
}

/** Shown once the hub refuses a read for want of a key: what it said, and the key form. */
function SignInBar() {
  const [message, setMessage] = useState<string | undefined>();
  useEffect(() => {
    const refused = (event: Event) => setMessage((event as CustomEvent<string>).detail);
    window.addEventListener('telemetry-hub:needs-key', refused);
    return () => window.removeEventListener('telemetry-hub:needs-key', refused);
  }, []);
  if (!message) return null;
  return (
    <div class="sign-in" role="region" aria-label="Sign in">
      <p>{message}</p>
      <KeyForm />
    </div>
  );
}

function NotFound() {
  return (
    <section class="panel">
      <h2>No such page</h2>
      <p>
        <a href="/dashboard/">Back to the overview</a>
      </p>
    </section>
  );
}
