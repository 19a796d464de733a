/** MQTT: a broker (Mosquitto) pushes each message to its subscribers over a held connection. */
import { brokerFindings } from '../broker-link.js';
import type { TransportModule } from '../module.js';
import { createMqttClient } from './client.js';
import { mqttSettings, type MqttSettings } from './settings.js';

export const mqttTransport = {
  name: 'mqtt',
  style: 'push',
  summary: "An MQTT 5 subscription to the client's own topic and the broadcast topic, QoS 0 or 1, in a persistent or clean session.",
  settings: mqttSettings,
  createClient: createMqttClient,
  broker: 'mqtt',
  framed: false,
  rules: (workload) => brokerFindings(workload, 'mqtt'),
  drainExtraMs: () => 0,
} satisfies TransportModule<'mqtt', MqttSettings, never>;
