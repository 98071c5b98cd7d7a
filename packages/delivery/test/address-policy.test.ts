import fc from "fast-check";
import { createAddressPolicy } from "../src/address-policy.js";

const guard = createAddressPolicy([]);

describe("the SSRF guard's address rule", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fe80::1", "linkLocal"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["ff02::1", "multicast"],
    // IPv4 hidden in IPv6: mapped forms are judged as the IPv4 they carry …
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "linkLocal"],
    // … and translated ones are refused whatever they carry.
    ["64:ff9b::7f00:1", "rfc6052"],
    ["64:ff9b::808:808", "rfc6052"],
    ["64:ff9b:1::a00:1", "rfc6052"],
    ["2002:7f00:1::1", "6to4"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    ["::7f00:1", "ipv4Compatible"],
    ["fe80::1%eth0", "notAnAddress"],
    ["example.com", "notAnAddress"],
  ])("refuses %s (%s)", (address, rule) => {
    expect(guard.check(address)).toEqual({ allowed: false, rule });
  });

  it.each(["8.8.8.8", "93.184.216.34", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "allows the public address %s",
    (address) => {
      expect(guard.check(address)).toEqual({ allowed: true });
    },
  );

  it.each([
    ["http://127.0.0.1/", "127.0.0.1"],
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://017700000001/", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://[::1]:8080/x", "::1"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
    ["https://169.254.169.254/latest/meta-data", "169.254.169.254"],
  ])("reads %s as the literal address %s, which is refused", (url, literal) => {
    expect(guard.literalHost(url)).toBe(literal);
    expect(guard.check(literal).allowed).toBe(false);
  });

  it("leaves host names to connect time", () => {
    expect(guard.literalHost("https://hooks.example.com/x")).toBeUndefined();
    expect(guard.literalHost("http://127.0.0.1.nip.io/")).toBeUndefined();
  });

  it("lets an allowlist through, matching mapped IPv6 forms of allowed IPv4 too", () => {
    const allowing = createAddressPolicy(["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
    for (const address of ["127.0.0.1", "::ffff:127.0.0.1", "10.9.8.7", "fd00::5"])
      expect(allowing.check(address)).toEqual({ allowed: true });
    for (const address of ["127.0.0.2", "192.168.0.1", "fc00::1"]) expect(allowing.check(address).allowed).toBe(false);
  });

  it("judges every IPv4 address and its mapped IPv6 form alike", () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        const mapped = `::ffff:${address}`;
        expect(guard.check(mapped)).toEqual(guard.check(address));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses every address of the private, loopback, link-local and CGNAT blocks", () => {
    const inBlock = (a: number, b: [number, number]) =>
      fc.tuple(fc.integer({ min: b[0], max: b[1] }), fc.nat(255), fc.nat(255)).map(([x, y, z]) => `${a}.${x}.${y}.${z}`);
    const blocked = fc.oneof(
      inBlock(10, [0, 255]),
      inBlock(127, [0, 255]),
      inBlock(169, [254, 254]),
      inBlock(100, [64, 127]),
      inBlock(172, [16, 31]),
      inBlock(192, [168, 168]),
    );
    fc.assert(
      fc.property(blocked, (address) => expect(guard.check(address).allowed).toBe(false)),
      { numRuns: 2000 },
    );
  });
});
