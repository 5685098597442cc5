import * as Vue from 'vue';
import { markRaw, ref, type Component } from 'vue';
import { pb } from '../pb';

/** A custom page: an ES module in `<dataDir>/public/extensions/` (see README "Dashboard: custom pages"). */
export interface DashboardExtension {
  /** The file name without `.js`: the page's address `#/ext/<name>`. */
  name: string;
  title: string;
  icon: string;
  component: Component;
}

/** What an extension module's default export may be: the page, or a function that returns it. */
export interface ExtensionDefinition {
  title?: string;
  icon?: string;
  component: Component;
}
export type ExtensionModule = { default: ExtensionDefinition | ((host: ExtensionHost) => ExtensionDefinition) };

/** Handed to a function-style extension: the dashboard's own Vue (one instance) and the signed-in SDK client. */
export interface ExtensionHost {
  vue: typeof Vue;
  pb: typeof pb;
}

export const extensions = ref<DashboardExtension[]>([]);
let started = false;

/** Turns a loaded module into a page (throws on a module that exports no component). */
export function toExtension(name: string, mod: ExtensionModule, host: ExtensionHost): DashboardExtension {
  const exported = mod.default;
  const def = typeof exported === 'function' ? exported(host) : exported;
  if (!def || typeof def !== 'object' || !def.component) {
    throw new Error(`extension ${name}: the default export has no component`);
  }
  return { name, title: def.title ?? name, icon: def.icon ?? '◆', component: markRaw(def.component) };
}

/** Loads the custom pages listed by the server once; a broken one is skipped with a warning. */
export async function loadExtensions(): Promise<void> {
  if (started) {
    return;
  }
  started = true;
  const list = await pb.send<{ extensions: string[] }>('/_/extensions.json', {}).catch(() => ({ extensions: [] }));
  const host: ExtensionHost = { vue: Vue, pb };
  const loaded: DashboardExtension[] = [];
  for (const file of list.extensions) {
    try {
      const mod = (await import(/* @vite-ignore */ `/_/extensions/${encodeURIComponent(file)}`)) as ExtensionModule;
      loaded.push(toExtension(file.replace(/\.js$/, ''), mod, host));
    } catch (error) {
      console.warn(`dashboard extension ${file} not loaded:`, error);
    }
  }
  extensions.value = loaded;
}
