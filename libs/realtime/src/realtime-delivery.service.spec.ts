// Realtime delivery on in-memory fakes (libs/testing): an event reaches only the clients whose subscription
// and rule pass — the owner, a superuser, not a guest or another user, not a client whose token expired.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestAuth } from '@lib/core';
import { QueryCompiler } from '@lib/query';
import { buildCollection } from '@lib/schema';
import { waitFor } from '@lib/testing';
import {
  InMemoryRealtimeCollections,
  ManualClock,
  NoJoinedRuleCheck,
  PlainRealtimeRenderer,
  RecordingEventBus,
  RecordingTransport,
} from '@lib/fakes';
import { RealtimeAccess } from './realtime-access.service';
import { RealtimeClient } from './realtime-client';
import { RealtimeClients } from './realtime-clients';
import { RealtimeDelivery } from './realtime-delivery.service';
import { RealtimeHooks } from './realtime-hooks';
import { RealtimeMessages } from './realtime-messages.service';

const OWNER = 'owner = @request.auth.id';
const notes = buildCollection(
  { name: 'notes', listRule: OWNER, viewRule: OWNER, fields: [{ name: 'owner', type: 'text' }] },
  undefined,
  [],
);
const users = buildCollection({ name: 'users', type: 'auth', fields: [] }, undefined, [notes]);

/** A token string whose payload holds `exp` (seconds): delivery reads the expiry, the auth was verified before. */
const tokenUntil = (expSeconds: number) =>
  `h.${Buffer.from(JSON.stringify({ exp: expSeconds })).toString('base64url')}.s`;

function setup() {
  const clock = new ManualClock();
  const collections = new InMemoryRealtimeCollections([notes, users]);
  const clients = new RealtimeClients(collections, clock);
  const access = new RealtimeAccess(new QueryCompiler(), collections, new NoJoinedRuleCheck());
  const bus = new RecordingEventBus();
  const delivery = new RealtimeDelivery(
    bus,
    clients,
    access,
    new RealtimeMessages(new PlainRealtimeRenderer()),
    collections,
    new RealtimeHooks(),
  );
  const connect = (id: string, auth: RequestAuth | null, topic = `${notes.name}/*`) => {
    const transport = new RecordingTransport();
    const client = new RealtimeClient(id, 'sse', '127.0.0.1', transport);
    clients.add(client);
    clients.bind(client, auth);
    const [collection, recordId] = topic.split('/');
    client.subscriptions.set(topic, {
      key: topic,
      collection,
      recordId: recordId === '*' ? null : recordId,
      options: { query: {}, headers: {} },
    });
    return transport;
  };
  const user = (id: string, token = ''): RequestAuth => ({
    collectionId: users.id,
    collectionName: users.name,
    record: { id },
    isSuperuser: false,
    token,
  });
  const superuser: RequestAuth = { ...user('su'), collectionName: '_superusers', isSuperuser: true };
  return { clock, bus, delivery, connect, user, superuser };
}

const event = (id: string, owner: string) => ({
  collectionId: notes.id,
  collectionName: notes.name,
  record: { id, owner },
});

void describe('RealtimeDelivery', () => {
  void it('delivers a record only to clients whose list rule passes (owner and superuser)', async () => {
    const { delivery, connect, user, superuser } = setup();
    const alice = connect('a', user('alice'));
    const bob = connect('b', user('bob'));
    const guest = connect('g', null);
    const su = connect('s', superuser);
    await delivery.deliver('create', event('n1', 'alice'));
    assert.deepEqual(alice.recordIds(), ['n1']);
    assert.deepEqual(bob.recordIds(), []);
    assert.deepEqual(guest.recordIds(), []);
    assert.deepEqual(su.recordIds(), ['n1']);
    assert.deepEqual(alice.frames[0], {
      event: `${notes.name}/*`,
      data: {
        action: 'create',
        record: { collectionId: notes.id, collectionName: notes.name, id: 'n1', owner: 'alice' },
      },
    });
  });

  void it('checks the view rule for a record topic, and ignores other records and collections', async () => {
    const { delivery, connect, user } = setup();
    const alice = connect('a', user('alice'), `${notes.name}/n2`);
    await delivery.deliver('update', event('n1', 'alice'));
    await delivery.deliver('update', event('n2', 'alice'));
    await delivery.deliver('update', { ...event('n3', 'alice'), collectionId: users.id, collectionName: users.name });
    assert.deepEqual(alice.recordIds(), ['n2']);
  });

  void it('stops delivering to a client once its token expired (the injected clock moved past exp)', async () => {
    const { clock, delivery, connect, user } = setup();
    const alice = connect('a', user('alice', tokenUntil(clock.seconds() + 60)));
    await delivery.deliver('create', event('n1', 'alice'));
    clock.advance(61_000);
    await delivery.deliver('create', event('n2', 'alice'));
    assert.deepEqual(alice.recordIds(), ['n1']);
  });

  void it('takes events from the bus in publication order', async () => {
    const { bus, delivery, connect, user } = setup();
    delivery.onModuleInit();
    const alice = connect('a', user('alice'));
    bus.publish('record.created', event('n1', 'alice'));
    bus.publish('record.updated', event('n1', 'alice'));
    bus.publish('record.deleted', event('n1', 'alice'));
    await waitFor(() => alice.frames.length === 3, 'three frames');
    assert.deepEqual(
      alice.frames.map((f) => (f.data as { action: string }).action),
      ['create', 'update', 'delete'],
    );
    delivery.onModuleDestroy();
  });
});
