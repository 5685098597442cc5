// A PocketBase-style hooks file for the sign-in and confirm hooks of an auth collection `hk_members` (fields `name`,
// `nick`): the sign-in hooks run before the credentials are checked or the account is written, and act on names,
// nicknames and emails the tests choose (hooks-jsvm-auth / hooks-jsvm-confirm e2e files).

export const HK_MEMBERS = 'hk_members';

export const JSVM_AUTH = `
onRecordAuthWithPasswordRequest((e) => {
    if (e.identity.startsWith("nick:")) {
        // a sign-in by nickname: the hook finds the record itself
        const found = $app.findRecordsByFilter("${HK_MEMBERS}", "nick = {:nick}", "", 1, 0, { nick: e.identity.slice(5) })
        e.record = found.length > 0 ? found[0] : null
    }
    if (e.identity.startsWith("ghost")) {
        throw new BadRequestError("Unknown " + e.identity + " (record " + (e.record === null ? "null" : "found") +
            ", field '" + e.identityField + "', password of " + e.password.length + ", tag " +
            e.request.header.get("X-Client-Tag") + "/" + e.requestInfo().headers.x_client_tag + ", " +
            e.requestInfo().context + ")")
    }
    if (e.record && e.record.getString("name") === "locked") {
        throw new ForbiddenError("Locked: " + e.record.email() + " of " + e.collection.name + ".")
    }
    e.next()
}, "${HK_MEMBERS}")

onRecordAuthRefreshRequest((e) => {
    e.record.set("name", "refreshed " + e.record.getString("name"))
    e.next()
}, "${HK_MEMBERS}")

onRecordAuthWithOTPRequest((e) => {
    if (e.record.getString("name") === "no-otp") {
        throw new ForbiddenError("No OTP sign-in for " + e.record.email() + " (code sent to " + e.otp.sentTo() + ").")
    }
    e.record.set("name", "otp " + e.record.getString("name"))
    e.next()
}, "${HK_MEMBERS}")

onRecordAuthWithOAuth2Request((e) => {
    if (e.oauth2User.email.startsWith("blocked")) {
        const client = e.providerClient
        throw new ForbiddenError("No OAuth2 for " + e.oauth2User.email + " (new: " + e.isNewRecord + ", " +
            client.displayName() + " " + client.clientId() + " to " + client.redirectURL() + ", pkce " + client.pkce() + ").")
    }
    const nick = e.createData.nick || ""
    if (e.isNewRecord && nick !== "") {
        // an existing account claimed by its nickname: linked instead of a new one
        const found = $app.findRecordsByFilter("${HK_MEMBERS}", "nick = {:nick}", "", 1, 0, { nick: nick })
        if (found.length > 0) {
            e.record = found[0]
            e.isNewRecord = false
        }
    }
    if (e.isNewRecord) {
        e.createData = { name: "made for " + e.oauth2User.name + " via " + e.providerName }
    } else {
        e.record.set("name", "welcome back " + e.record.getString("nick"))
    }
    e.next()
}, "${HK_MEMBERS}")

onRecordConfirmPasswordResetRequest((e) => {
    if (e.record.getString("name") === "keep-password") {
        throw new BadRequestError("The password of " + e.record.email() + " in " + e.collection.name + " stays.")
    }
    e.next()
}, "${HK_MEMBERS}")

onRecordConfirmVerificationRequest((e) => {
    if (e.record.getString("name") === "stay-unverified") {
        throw new BadRequestError("No verification for " + e.record.email() + ".")
    }
    e.next()
}, "${HK_MEMBERS}")

onRecordConfirmEmailChangeRequest((e) => {
    if (e.newEmail.startsWith("nope")) {
        throw new BadRequestError("Not to " + e.newEmail + " for " + e.record.email() + ".")
    }
    e.next()
}, "${HK_MEMBERS}")
`;
