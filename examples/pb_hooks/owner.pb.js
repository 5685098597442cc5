// A todo created by an authenticated user belongs to that user, whatever the client sent as `owner`.
// Run: npx nestbase serve --hooksDir ./examples/pb_hooks
module.exports = (app) => {
  app.onRecordBeforeCreate('todos', (e) => {
    if (e.auth && !e.auth.isSuperuser()) {
      e.record.set('owner', e.auth.id);
    }
  });
};
