// MQTT.js interoperability scenario against a broker on 127.0.0.1:<port>, MQTT <3.1.1 = 4 | 5>:
// publish/subscribe, a retained message sent to a new subscription with RETAIN, and the will of a
// client whose connection dies. Prints one line per check; exits 0 when all passed.
const mqtt = require('mqtt');

const [port, version] = [Number(process.argv[2]), Number(process.argv[3])];
const url = `mqtt://127.0.0.1:${port}`;
const options = (clientId, extra = {}) => ({ clientId, protocolVersion: version, reconnectPeriod: 0, clean: true, ...extra });
const fail = (why) => { console.log(`FAIL ${why}`); process.exit(1); };
setTimeout(() => fail('timed out'), 20000).unref();

const connect = (clientId, extra) => new Promise((resolve, reject) => {
  const client = mqtt.connect(url, options(clientId, extra));
  client.once('connect', () => resolve(client));
  client.once('error', reject);
});

(async () => {
  const publisher = await connect(`js-pub-${version}`);
  await publisher.publishAsync(`js${version}/status`, 'ready', { qos: 1, retain: true });

  await connect(`js-doomed-${version}`, {
    will: { topic: `js${version}/will`, payload: Buffer.from('lost'), qos: 1, retain: false },
  }).then((doomed) => { global.doomed = doomed; });

  const subscriber = await connect(`js-sub-${version}`);
  const seen = [];
  const waiters = [];
  subscriber.on('message', (topic, payload, packet) => {
    seen.push({ topic, payload: payload.toString(), retain: packet.retain });
    waiters.splice(0).forEach((w) => w());
  });
  const waitFor = async (predicate, what) => {
    while (!seen.some(predicate)) {
      await new Promise((resolve) => { waiters.push(resolve); });
    }
    console.log(`OK ${what}`);
  };
  await subscriber.subscribeAsync(`js${version}/#`, { qos: 1 });

  await waitFor((m) => m.topic === `js${version}/status` && m.payload === 'ready' && m.retain, 'retained message with RETAIN 1');
  await publisher.publishAsync(`js${version}/echo`, 'hello', { qos: 1 });
  await waitFor((m) => m.topic === `js${version}/echo` && m.payload === 'hello' && !m.retain, 'publish/subscribe');
  global.doomed.stream.destroy(); // the connection dies without DISCONNECT: the will goes out
  await waitFor((m) => m.topic === `js${version}/will` && m.payload === 'lost', 'will of a dead connection');

  await publisher.endAsync();
  await subscriber.endAsync();
  console.log('ALL PASSED');
  process.exit(0);
})().catch((e) => fail(e.message));
