// A PocketBase-style hooks file for the hook points the split files and realtime services fire, and auth refresh and
// record enrichment: it uses no `$app` (the realtime service beside a records service has no database), so the same
// file runs in standalone and in the distributed set. Its hooks act on the `hk_*` collections, on users whose email
// starts with `banned_` / `locked_` / `notoken_` / `noreset_` / `noverify_` (or an identity `ghost_…`, an OAuth2 user whose email starts with `blocked_`, OTP sign-ins of `nootp_`, confirmations for `keeppw_` / `unverified_` / a new email `nope_…`) (or a new email at blocked.example.com), and on realtime connections asked with `?refuse=` / `?idle=`; nothing else.

export const HK_RT = 'hk_rt';
export const HK_FILES = 'hk_files';

export const JSVM_SPLIT = `
onRealtimeConnectRequest((e) => {
    const refuse = e.request.url.query().get("refuse")
    if (refuse !== "") {
        throw new ForbiddenError("No stream for " + refuse + " (" + e.client.id().length + ").")
    }
    if (e.request.url.query().get("idle") !== "") {
        e.idleTimeout = 300
    }
    e.next()
})

onRealtimeMessageSend((e) => {
    if (!e.message.name.startsWith("${HK_RT}/")) {
        e.next()
        return
    }
    const data = JSON.parse(toString(e.message.data))
    if (data.record.title === "drop") {
        return
    }
    data.record.via = "hook for " + e.client.id()
    e.message.data = JSON.stringify(data)
    e.next()
})

onRecordEnrich((e) => {
    if (e.record.getString("title") === "plain") {
        e.record.set("extra", "not without custom data")
        e.next()
        return
    }
    e.record.hide("secret")
    e.record.unhide("internal")
    e.record.withCustomData(true)
    e.record.set("shout", e.record.getString("title").toUpperCase())
    e.next()
}, "${HK_RT}")

onRecordAuthRefreshRequest((e) => {
    if (e.record.email().startsWith("banned_")) {
        throw new ForbiddenError("No refresh for " + e.record.email() + " of " + e.collection.name + ".")
    }
    e.record.set("name", "refreshed " + e.record.email())
    e.next()
}, "users")

onRecordAuthWithPasswordRequest((e) => {
    if (e.identity.startsWith("ghost_")) {
        throw new BadRequestError("Unknown " + e.identity + " (record " + (e.record === null ? "null" : "found") + ").")
    }
    if (e.record && e.record.email().startsWith("locked_")) {
        throw new ForbiddenError("Locked: " + e.record.email() + " (password of " + e.password.length + ").")
    }
    e.next()
}, "users")

onRecordAuthWithOAuth2Request((e) => {
    if (e.oauth2User.email.startsWith("blocked_")) {
        throw new ForbiddenError("No " + e.providerName + " sign-in for " + e.oauth2User.email + " (new " +
            e.isNewRecord + ", " + e.providerClient.displayName() + ").")
    }
    if (e.isNewRecord) {
        e.createData = { name: "hook made " + e.oauth2User.name }
    }
    e.next()
}, "users")

onRecordRequestPasswordResetRequest((e) => {
    if (e.record.email().startsWith("noreset_")) {
        throw new BadRequestError("No reset for " + e.record.email() + " of " + e.collection.name + ".")
    }
    e.next()
}, "users")

onRecordRequestVerificationRequest((e) => {
    if (e.record.email().startsWith("noverify_")) {
        throw new BadRequestError("No verification mail for " + e.record.email() + ".")
    }
    e.next()
}, "users")

onRecordRequestEmailChangeRequest((e) => {
    if (e.newEmail.endsWith("@blocked.example.com")) {
        throw new BadRequestError("Not to " + e.newEmail + " for " + e.record.email() + ".")
    }
    e.next()
}, "users")

onRecordAuthWithOTPRequest((e) => {
    if (e.record.email().startsWith("nootp_")) {
        throw new ForbiddenError("No OTP sign-in for " + e.record.email() + " (code sent to " + e.otp.sentTo() + ").")
    }
    e.record.set("name", "otp " + e.record.email())
    e.next()
}, "users")

onRecordConfirmPasswordResetRequest((e) => {
    if (e.record.email().startsWith("keeppw_")) {
        throw new BadRequestError("The password of " + e.record.email() + " in " + e.collection.name + " stays.")
    }
    e.next()
}, "users")

onRecordConfirmVerificationRequest((e) => {
    if (e.record.email().startsWith("unverified_")) {
        throw new BadRequestError("No verification for " + e.record.email() + ".")
    }
    e.next()
}, "users")

onRecordConfirmEmailChangeRequest((e) => {
    if (e.newEmail.startsWith("nope_")) {
        throw new BadRequestError("Not to " + e.newEmail + " for " + e.record.email() + ".")
    }
    e.next()
}, "users")

onFileTokenRequest((e) => {
    if (e.record.email().startsWith("notoken_")) {
        throw new ForbiddenError("No file token for " + e.record.email() + ".")
    }
    e.next()
}, "users")

onFileDownloadRequest((e) => {
    const title = e.record.getString("title")
    if (title === "secret") {
        throw new ForbiddenError("Not " + e.servedName + " of " + e.collection.name + "." + e.fileField.name +
            " at " + e.servedPath + ".")
    }
    if (title === "swap") {
        // the record's other file, from the same folder, is served instead
        e.servedPath = e.servedPath.slice(0, e.servedPath.lastIndexOf("/") + 1) + e.record.getString("other")
    }
    if (title === "members") {
        if (e.auth === null) {
            throw new UnauthorizedError("Members only (download=" + e.requestInfo().query.download + ", tag " +
                e.request.header.get("X-Client-Tag") + ").")
        }
        e.servedName = e.auth.email() + "-" + e.servedName
    }
    if (title === "escape") {
        e.servedPath = "../../" + e.servedPath
    }
    e.servedName = "hk-" + title + "-" + e.fileField.name + "-" + e.servedName
    e.next()
}, "${HK_FILES}")
`;
