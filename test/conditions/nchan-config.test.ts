import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nchanConfig, type NchanConfigOptions } from '../../src/conditions/nchan-config.js';
import { nginxConfig } from '../../src/conditions/nginx-config.js';

const base: NchanConfigOptions = {
  listenPort: 40001,
  dir: '/tmp/x',
  clients: 100,
  maxOpenFiles: 20_000,
  modulePath: '/usr/lib/nginx/modules/ngx_nchan_module.so',
};

/** The directives of the text, comments dropped, one per line, whitespace squeezed. */
function directives(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '');
}

/** The directives of the `server { … }` block, braces matched. */
function serverBlock(text: string): string[] {
  const lines = directives(text);
  const start = lines.indexOf('server {');
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    depth += (lines[i]!.match(/{/g) ?? []).length - (lines[i]!.match(/}/g) ?? []).length;
    if (depth === 0) return lines.slice(start, i + 1);
  }
  throw new Error('no closed server block');
}

/** The location blocks, each as one string, in order. */
function locations(block: string[]): string[] {
  return block
    .join('\n')
    .split(/(?=location )/)
    .slice(1)
    .map((part) => part.slice(0, part.indexOf('}') + 1));
}

describe('nchan configuration', () => {
  it("loads the module and lays out nchan's common endpoints, with the reference server's retention by default", () => {
    const lines = directives(nchanConfig(base));
    expect(lines[0]).toBe('load_module /usr/lib/nginx/modules/ngx_nchan_module.so;');
    expect(locations(serverBlock(nchanConfig(base)))).toEqual([
      'location = /pub {\nnchan_publisher;\nnchan_channel_id $arg_id;\nnchan_channel_id_split_delimiter ",";\nnchan_message_buffer_length 1000;\nnchan_message_timeout 120s;\n}',
      'location = /sub {\nnchan_subscriber websocket eventsource;\nnchan_channel_id $arg_id;\nnchan_channel_id_split_delimiter ",";\n}',
      'location = /long-poll {\nnchan_subscriber longpoll;\nnchan_channel_id $arg_id;\nnchan_channel_id_split_delimiter ",";\nnchan_subscriber_timeout 30s;\n}',
      'location = /poll {\nnchan_subscriber intervalpoll;\nnchan_channel_id $arg_id;\nnchan_channel_id_split_delimiter ",";\n}',
      'location = /nchan_status {\nnchan_stub_status;\n}',
    ]);
    expect(serverBlock(nchanConfig(base))[1]).toBe('listen 127.0.0.1:40001;');
    expect(lines.some((line) => line.startsWith('user '))).toBe(false);
    // No proxy in this nginx.
    expect(lines.some((line) => line.startsWith('proxy_pass') || line.startsWith('upstream'))).toBe(false);
  });

  it("shares the proxy nginx's head: foreground, one worker, every file in the private directory", () => {
    const nchan = directives(nchanConfig({ ...base, user: 'root' }));
    const proxy = directives(nginxConfig({ ...base, upstreamPort: 40002, user: 'root' }));
    const head = (lines: string[]) =>
      lines.slice(lines.indexOf('daemon off;'), lines.indexOf('scgi_temp_path /tmp/x/scgi;') + 1).filter((l) => !/worker_(rlimit_nofile|connections)/.test(l));
    expect(head(nchan)).toEqual(head(proxy));
    expect(head(nchan)).toEqual(
      expect.arrayContaining([
        'daemon off;',
        'master_process on;',
        'worker_processes 1;',
        'user root;',
        'pid /tmp/x/nginx.pid;',
        'error_log stderr warn;',
        'access_log off;',
      ]),
    );
    for (const line of nchan.filter((l) => l.includes('_temp_path'))) expect(line).toMatch(/ \/tmp\/x\//);
  });

  it('takes the long-poll timeout and the retention asked for', () => {
    const lines = directives(nchanConfig({ ...base, longPollTimeoutMs: 5_000, messageBufferLength: 10, messageTimeoutMs: 3_000 }));
    expect(lines).toEqual(expect.arrayContaining(['nchan_subscriber_timeout 5s;', 'nchan_message_buffer_length 10;', 'nchan_message_timeout 3s;']));
  });

  it('refuses times nchan cannot hold exactly (it counts in seconds) and an empty buffer', () => {
    expect(() => nchanConfig({ ...base, longPollTimeoutMs: 1_500 })).toThrow(/long-poll timeout: 1500 ms is not a whole number of seconds/);
    expect(() => nchanConfig({ ...base, messageTimeoutMs: -1_000 })).toThrow(/message timeout: -1000 ms/);
    expect(() => nchanConfig({ ...base, messageBufferLength: 0 })).toThrow(/buffer length: 0 is not a positive whole number/);
  });

  it('sizes connections at one per subscriber plus a reserve, and refuses more than the open-file limit allows', () => {
    expect(directives(nchanConfig({ ...base, clients: 5_000 }))).toEqual(expect.arrayContaining(['worker_connections 5064;', 'worker_rlimit_nofile 5064;']));
    expect(() => nchanConfig({ ...base, clients: 1_000, maxOpenFiles: 1_000 })).toThrow(
      /nginx with nchan needs 1 open file per client \(the subscriber's connection\): 1000 clients need 1064, but a process may open 1000 here; use at most 936 clients/,
    );
  });

  it('is the server block of examples/nchan/nginx.conf, so the documented config cannot drift from the generated one', () => {
    const example = readFileSync(new URL('../../examples/nchan/nginx.conf', import.meta.url), 'utf8');
    expect(serverBlock(example)).toEqual(serverBlock(nchanConfig({ ...base, listenPort: 8080 })));
    // And its head is the generated one for 1,000 subscribers, with paths under nginx's -p prefix instead of a private directory.
    const generated = directives(nchanConfig({ ...base, clients: 1_000 })).map((line) => line.replace('/tmp/x/', ''));
    const head = (lines: string[]) => lines.slice(0, lines.indexOf('server {'));
    expect(head(directives(example))).toEqual(head(generated));
  });
});
