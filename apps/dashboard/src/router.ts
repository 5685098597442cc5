import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { isSuperuserSignedIn } from './pb';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/auth/LoginPage.vue'), meta: { public: true } },
  {
    path: '/pbinstall/:token',
    name: 'installer',
    component: () => import('./pages/auth/InstallerPage.vue'),
    meta: { public: true },
  },
  {
    path: '/auth/confirm-verification/:token',
    component: () => import('./pages/auth/ConfirmVerification.vue'),
    meta: { public: true },
  },
  {
    path: '/auth/confirm-password-reset/:token',
    component: () => import('./pages/auth/ConfirmPasswordReset.vue'),
    meta: { public: true },
  },
  {
    path: '/auth/confirm-email-change/:token',
    component: () => import('./pages/auth/ConfirmEmailChange.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('./components/AppShell.vue'),
    children: [
      { path: '', redirect: '/collections' },
      {
        path: 'collections/:collection?',
        name: 'collections',
        component: () => import('./pages/collections/CollectionsPage.vue'),
      },
      { path: 'settings', name: 'settings', component: () => import('./pages/settings/SettingsPage.vue') },
      {
        path: 'settings/export',
        name: 'export',
        component: () => import('./pages/settings/ExportCollections.vue'),
      },
      {
        path: 'settings/import',
        name: 'import',
        component: () => import('./pages/settings/ImportCollections.vue'),
      },
      { path: 'logs', name: 'logs', component: () => import('./pages/logs/LogsPage.vue') },
      { path: 'settings/backups', name: 'backups', component: () => import('./pages/backups/BackupsPage.vue') },
      { path: 'settings/crons', name: 'crons', component: () => import('./pages/crons/CronsPage.vue') },
      { path: 'ext/:name', name: 'extension', component: () => import('./pages/extensions/ExtensionPage.vue') },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/collections' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  if (to.meta.public !== true && !isSuperuserSignedIn()) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  if (to.name === 'login' && isSuperuserSignedIn()) {
    return { path: '/collections' };
  }
  return true;
});
