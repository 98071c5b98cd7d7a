import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigStore, configDirectory, resolveConnection } from "../src/config-store.js";
import { EXIT } from "../src/exit-codes.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hookline-config-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the config store", () => {
  it("keeps the key in a file only its owner can read, in a directory only its owner can enter", async () => {
    const store = new ConfigStore(join(dir, "hookline"));
    await store.update(() => ({ url: "http://h", api_key: "key_a.b" }));
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "hookline")).mode & 0o777).toBe(0o700);
    expect(await store.read()).toEqual({ url: "http://h", api_key: "key_a.b" });
  });

  it("narrows a file someone made readable to others when it writes it again", async () => {
    const store = new ConfigStore(dir);
    writeFileSync(store.file, "{}");
    chmodSync(store.file, 0o644);
    await store.update((current) => ({ ...current, url: "http://h" }));
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
  });

  it("takes flags over the environment over the saved login, and says how to log in when it has nothing", async () => {
    const store = new ConfigStore(dir);
    await store.update(() => ({ url: "http://saved/", api_key: "key_saved.x" }));
    expect(await resolveConnection(store, {}, {})).toEqual({ url: "http://saved", apiKey: "key_saved.x" });
    expect(await resolveConnection(store, {}, { HOOKLINE_URL: "http://env", HOOKLINE_API_KEY: "key_env.x" })).toEqual({
      url: "http://env",
      apiKey: "key_env.x",
    });
    expect(await resolveConnection(store, { url: "http://flag", apiKey: "key_flag.x" }, { HOOKLINE_URL: "http://env" })).toEqual({
      url: "http://flag",
      apiKey: "key_flag.x",
    });
    await expect(resolveConnection(new ConfigStore(join(dir, "empty")), {}, {})).rejects.toMatchObject({ exitCode: EXIT.config });
  });

  it("refuses a config file that is not JSON with a sentence, not a stack trace", async () => {
    const store = new ConfigStore(dir);
    writeFileSync(store.file, "{nope");
    await expect(store.read()).rejects.toMatchObject({ exitCode: EXIT.config, message: expect.stringContaining("not valid JSON") });
  });

  it("lives in XDG_CONFIG_HOME, or ~/.config, unless HOOKLINE_CONFIG_DIR says otherwise", () => {
    expect(configDirectory({ HOOKLINE_CONFIG_DIR: "/x" })).toBe("/x");
    expect(configDirectory({ XDG_CONFIG_HOME: "/cfg" })).toBe("/cfg/hookline");
  });
});
