import { MergedAttributes } from './merged-attributes';
import { type SpanRoute, routeSpan } from './span-router';

const SERVER = 2;
const INTERNAL = 1;

describe('routeSpan: the documented rule table', () => {
  const cases: [string, Record<string, unknown>, number, SpanRoute][] = [
    [
      'event.category names the table',
      { 'event.category': 'feature_usage', 'http.method': 'GET' },
      INTERNAL,
      { table: 'feature_usage', rule: 'event.category' },
    ],
    [
      'an unknown event.category routes nowhere',
      { 'event.category': 'billing', 'http.method': 'GET' },
      SERVER,
      { table: undefined, rule: 'event.category (unknown value)' },
    ],
    [
      'login is user activity',
      { 'event.type': 'login' },
      INTERNAL,
      { table: 'user_activity', rule: 'collector: event.type login/logout' },
    ],
    [
      'logout is user activity',
      { 'event.type': 'logout' },
      INTERNAL,
      { table: 'user_activity', rule: 'collector: event.type login/logout' },
    ],
    [
      'registration alone matches no collector rule',
      { 'event.type': 'registration' },
      INTERNAL,
      { table: undefined, rule: 'none' },
    ],
    [
      'http.method is endpoint usage',
      { 'http.method': 'GET' },
      INTERNAL,
      { table: 'endpoint_usage', rule: 'collector: http.method' },
    ],
    [
      'a later collector rule wins: http.method over login',
      { 'event.type': 'login', 'http.method': 'POST' },
      INTERNAL,
      { table: 'endpoint_usage', rule: 'collector: http.method' },
    ],
    [
      'a later collector rule wins: feature.name over http.method',
      { 'http.method': 'POST', 'feature.name': 'x' },
      SERVER,
      { table: 'feature_usage', rule: 'collector: feature.name' },
    ],
    [
      'semconv http.request.method',
      { 'http.request.method': 'GET' },
      3,
      { table: 'endpoint_usage', rule: 'semconv: http.request.method' },
    ],
    [
      'a SERVER span with http.route',
      { 'http.route': '/a' },
      SERVER,
      { table: 'endpoint_usage', rule: 'semconv: SERVER span with a route' },
    ],
    [
      'a SERVER span with url.path',
      { 'url.path': '/a' },
      SERVER,
      { table: 'endpoint_usage', rule: 'semconv: SERVER span with a route' },
    ],
    [
      'an INTERNAL span with a route is not a request',
      { 'http.route': '/a' },
      INTERNAL,
      { table: undefined, rule: 'none' },
    ],
    [
      'an empty attribute is absent',
      { 'http.method': '', 'event.category': '' },
      INTERNAL,
      { table: undefined, rule: 'none' },
    ],
    ['nothing known', { 'db.system': 'postgresql' }, 3, { table: undefined, rule: 'none' }],
  ];
  it.each(cases)('%s', (_name, attributes, kind, expected) => {
    expect(routeSpan(new MergedAttributes({}, attributes), kind)).toEqual(expected);
  });
});
