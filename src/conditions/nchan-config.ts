/**
 * The configuration of a real nginx with the nchan module: a push server that is not ours, in
 * nchan's common layout (publisher on /pub, subscribers on /sub, interval polling on /poll,
 * counters on /nchan_status), every channel named by the `id` query parameter. Pure, like
 * nginxConfig, whose head (foreground, one worker, private files, limits) it shares.
 * examples/nchan/nginx.conf is the same server block by hand (a test keeps them equal).
 */
import { nginxFile, type ClientCost, type NginxPlace } from './nginx-config.js';

/** A long poll with nothing to say is answered after this long, as the catalog's long-polling client expects by default. */
const DEFAULT_LONG_POLL_TIMEOUT_MS = 30_000;
/** Retention as the reference server's: a channel keeps its last 1,000 messages, each for 120 s. */
const DEFAULT_MESSAGE_BUFFER_LENGTH = 1_000;
const DEFAULT_MESSAGE_TIMEOUT_MS = 120_000;

/** A subscriber holds one connection; nchan keeps its messages in shared memory, not in files. */
const NCHAN_COST: ClientCost = { server: 'nginx with nchan', perClient: 1, why: "the subscriber's connection" };

export interface NchanConfigOptions extends NginxPlace {
  /** The absolute path of ngx_nchan_module.so. */
  modulePath: string;
  /** nchan_subscriber_timeout on /sub, ms, whole seconds; 30 s by default. */
  longPollTimeoutMs?: number;
  /** nchan_message_buffer_length: messages a channel keeps for subscribers that resume; 1,000 by default. */
  messageBufferLength?: number;
  /** nchan_message_timeout: how long a message is kept, ms, whole seconds; 120 s by default. */
  messageTimeoutMs?: number;
}

/** nchan reads these times in seconds only ("500ms" is refused by nginx -t): a value it cannot hold exactly is refused here, not rounded. */
function seconds(name: string, ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms % 1_000 !== 0)
    throw new RangeError(`nchan ${name}: ${ms} ms is not a whole number of seconds; nchan counts it in seconds, so use a multiple of 1000 ms`);
  return `${ms / 1_000}s`;
}

export function nchanConfig(o: NchanConfigOptions): string {
  const bufferLength = o.messageBufferLength ?? DEFAULT_MESSAGE_BUFFER_LENGTH;
  if (!Number.isInteger(bufferLength) || bufferLength < 1)
    throw new RangeError(`nchan message buffer length: ${bufferLength} is not a positive whole number of messages`);
  const messageTimeout = seconds('message timeout', o.messageTimeoutMs ?? DEFAULT_MESSAGE_TIMEOUT_MS);
  const longPollTimeout = seconds('long-poll timeout', o.longPollTimeoutMs ?? DEFAULT_LONG_POLL_TIMEOUT_MS);
  return nginxFile({
    purpose: 'nginx with the nchan module, a push server in its common layout',
    modules: [o.modulePath],
    place: o,
    cost: NCHAN_COST,
    http: `server {
    listen 127.0.0.1:${o.listenPort};

    # POST /pub?id=a,b publishes one message to channels a and b (201, or 202 when no one listens yet).
    location = /pub {
        nchan_publisher;
        nchan_channel_id $arg_id;
        nchan_channel_id_split_delimiter ",";
        # Retention: what a subscriber that comes back can still get.
        nchan_message_buffer_length ${bufferLength};
        nchan_message_timeout ${messageTimeout};
    }

    # GET /sub?id=a: SSE (Accept: text/event-stream) or WebSocket (Upgrade), by the request's headers.
    # No subscriber timeout: nchan would close a stream quiet that long, not only a long poll.
    location = /sub {
        nchan_subscriber websocket eventsource;
        nchan_channel_id $arg_id;
        nchan_channel_id_split_delimiter ",";
    }

    # GET /long-poll?id=a: long polling.
    location = /long-poll {
        nchan_subscriber longpoll;
        nchan_channel_id $arg_id;
        nchan_channel_id_split_delimiter ",";
        # A long poll with nothing new is answered (408) after this long.
        nchan_subscriber_timeout ${longPollTimeout};
    }

    # GET /poll?id=a: interval polling, answered at once (304 when nothing is new).
    location = /poll {
        nchan_subscriber intervalpoll;
        nchan_channel_id $arg_id;
        nchan_channel_id_split_delimiter ",";
    }

    # nchan's own counters (subscribers, channels, messages), as text.
    location = /nchan_status {
        nchan_stub_status;
    }
}
`,
  });
}
