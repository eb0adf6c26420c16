import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { connectHost, envName, serviceEnv } from "./env.ts";

describe("serviceEnv", () => {
  test("redis on an ephemeral loopback port: host, port, port by container port, URL", () => {
    const env = serviceEnv([{
      service: "redis",
      ports: [{ containerPort: "6379/tcp", hostIp: "127.0.0.1", hostPort: 49153 }],
    }]);
    assert.deepEqual(env, {
      SENTRY_REDIS_HOST: "127.0.0.1",
      SENTRY_REDIS_PORT: "49153",
      SENTRY_REDIS_PORT_6379: "49153",
      SENTRY_REDIS_URL: "redis://127.0.0.1:49153/0",
    });
  });

  test("postgres and kafka get their URL and bootstrap servers", () => {
    const env = serviceEnv([
      {
        service: "postgres",
        ports: [{ containerPort: "5432/tcp", hostIp: "127.0.0.1", hostPort: 40001 }],
      },
      {
        service: "kafka",
        ports: [{ containerPort: "9092/tcp", hostIp: "127.0.0.1", hostPort: 40002 }],
      },
    ]);
    assert.equal(env.SENTRY_POSTGRES_URL, "postgresql://postgres@127.0.0.1:40001/sentry");
    assert.equal(env.SENTRY_KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:40002");
    assert.equal(env.SENTRY_KAFKA_PORT_9092, "40002");
  });

  test("several ports: the first is SENTRY_<SVC>_PORT, each has its own; dashes become _", () => {
    const env = serviceEnv([{
      service: "redis-cluster",
      ports: [
        { containerPort: "7000/tcp", hostIp: "127.0.0.1", hostPort: 41000 },
        { containerPort: "7001/tcp", hostIp: "127.0.0.1", hostPort: 41001 },
        { containerPort: "8125/udp", hostIp: "127.0.0.1", hostPort: 41002 },
      ],
    }]);
    assert.deepEqual(env, {
      SENTRY_REDIS_CLUSTER_HOST: "127.0.0.1",
      SENTRY_REDIS_CLUSTER_PORT: "41000",
      SENTRY_REDIS_CLUSTER_PORT_7000: "41000",
      SENTRY_REDIS_CLUSTER_PORT_7001: "41001",
      SENTRY_REDIS_CLUSTER_PORT_8125_UDP: "41002",
    });
  });

  test("a service without published ports exports nothing; no URL for unknown services", () => {
    assert.deepEqual(serviceEnv([{ service: "redis", ports: [] }]), {});
    const env = serviceEnv([{
      service: "memcached",
      ports: [{ containerPort: "11211/tcp", hostIp: "0.0.0.0", hostPort: 11211 }],
    }]);
    assert.deepEqual(env, {
      SENTRY_MEMCACHED_HOST: "127.0.0.1",
      SENTRY_MEMCACHED_PORT: "11211",
      SENTRY_MEMCACHED_PORT_11211: "11211",
    });
  });

  test("an IPv6 host is bracketed in URLs", () => {
    const env = serviceEnv([{
      service: "redis",
      ports: [{ containerPort: "6379/tcp", hostIp: "::1", hostPort: 6379 }],
    }]);
    assert.equal(env.SENTRY_REDIS_HOST, "::1");
    assert.equal(env.SENTRY_REDIS_URL, "redis://[::1]:6379/0");
  });
});

describe("envName and connectHost", () => {
  test("upper case, - and . become _", () => {
    assert.equal(envName("redis-cluster"), "REDIS_CLUSTER");
    assert.equal(envName("my.svc2"), "MY_SVC2");
  });
  test("wildcard binds are reached on loopback", () => {
    assert.equal(connectHost("0.0.0.0"), "127.0.0.1");
    assert.equal(connectHost(""), "127.0.0.1");
    assert.equal(connectHost("::"), "::1");
    assert.equal(connectHost("10.1.2.3"), "10.1.2.3");
  });
});
