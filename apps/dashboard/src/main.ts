import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { pb, setUnauthorizedHandler, startSilentRefresh, isSuperuserSignedIn } from './pb';
import './styles.css';

setUnauthorizedHandler(() => {
  const current = router.currentRoute.value;
  if (current.meta.public !== true) {
    void router.push({ name: 'login', query: { redirect: current.fullPath } });
  }
});
if (isSuperuserSignedIn()) {
  // A remembered session: renewed on load, as PocketBase's dashboard does; a dead one signs out (the 401).
  pb.collection('_superusers')
    .authRefresh()
    .catch(() => undefined);
}
startSilentRefresh();
createApp(App).use(router).mount('#app');
