// Hook files in the shape of PocketBase's JavaScript hooks documentation (written for these tests): no
// module.exports, top-level routerAdd / onRecord… / cronAdd calls, $app and the other globals, synchronous code.

/** Custom routes: path params, auth middlewares, the response helpers, sync finders, writes, a transaction. */
export const JSVM_ROUTES = `
routerAdd("GET", "/api/jsvm/hello/{name}", (e) => {
    let name = e.request.pathValue("name")
    return e.json(200, { "message": "Hello " + name })
})

routerAdd("GET", "/api/jsvm/me", (e) => {
    const info = e.requestInfo()
    return e.json(200, {
        "id": e.auth.id,
        "email": e.auth.email(),
        "tag": info.query["tag"] || "",
        "custom": info.headers["x_custom"] || "",
    })
}, $apis.requireAuth())

routerAdd("GET", "/api/jsvm/users/{id}", (e) => {
    const user = $app.findRecordById("users", e.request.pathValue("id"))
    $apis.enrichRecord(e, user)
    return e.json(200, user)
})

routerAdd("GET", "/api/jsvm/admin", (e) => e.string(200, "superusers only"), $apis.requireSuperuserAuth())

routerAdd("GET", "/api/jsvm/page/{name}", (e) => {
    const page = $template.loadString(
        "<h1>{{.title}}</h1>{{if .items}}<ul>{{range .items}}<li>{{.}}</li>{{end}}</ul>{{else}}none{{end}}"
    )
    return e.html(200, page.render({ "title": e.request.pathValue("name"), "items": ["one", "<two>"] }))
})

routerAdd("GET", "/api/jsvm/old", (e) => e.redirect(307, "/api/jsvm/hello/moved"))

routerAdd("GET", "/api/jsvm/hash", (e) => e.string(200, $security.hs256(e.requestInfo().query["text"], "secret")))

routerAdd("GET", "/api/jsvm/upstream", (e) => {
    const res = $http.send({
        "url": $os.getenv("JSVM_UPSTREAM") + "/data",
        "method": "GET",
        "headers": { "x-token": "abc" },
        "timeout": 10,
    })
    return e.json(200, { "status": res.statusCode, "json": res.json, "type": res.headers["Content-Type"] })
})

routerAdd("POST", "/api/jsvm/notes", (e) => {
    const body = new DynamicModel({ "title": "" })
    e.bindBody(body)
    const collection = $app.findCollectionByNameOrId("jsvm_notes")
    const record = new Record(collection)
    record.set("title", body.title)
    $app.save(record)

    const stored = $app.findRecordById("jsvm_notes", record.id)
    const same = $app.findRecordsByFilter("jsvm_notes", "title = {:title}", "-title", 10, 0, { "title": body.title })
    return e.json(200, {
        "id": record.id,
        "title": stored.get("title"),
        "matches": same.length,
        "total": $app.countRecords("jsvm_notes"),
    })
}, $apis.requireSuperuserAuth())

routerAdd("POST", "/api/jsvm/pair", (e) => {
    const body = e.requestInfo().body
    try {
        $app.runInTransaction((txApp) => {
            const collection = txApp.findCollectionByNameOrId("jsvm_notes")
            txApp.save(new Record(collection, { "title": body.first }))

            // the transaction sees its own, not yet committed, record
            const first = txApp.findFirstRecordByFilter("jsvm_notes", "title = {:title}", { "title": body.first })
            txApp.save(new Record(collection, { "title": body.second + " after " + first.id }))

            if (body.fail) {
                throw new BadRequestError("rolled back on purpose")
            }
        })
    } catch (err) {
        return e.json(400, { "rolledBack": true, "message": err.message })
    }
    return e.json(200, { "ok": true })
}, $apis.requireSuperuserAuth())
`;

/** Record hooks: request hooks that change or reject the write, model hooks that run around it. */
export const JSVM_RECORDS = `
onRecordCreateRequest((e) => {
    if (e.record.getString("title").includes("spam")) {
        throw new BadRequestError("Spam is not welcome here.")
    }
    if (!e.hasSuperuserAuth()) {
        e.record.set("status", "pending")
    }
    e.next()
}, "jsvm_posts")

onRecordUpdateRequest((e) => {
    const stored = $app.findRecordById("jsvm_posts", e.record.id)
    if (stored.getBool("locked")) {
        throw new ForbiddenError("This post is locked.")
    }
    e.next()
}, "jsvm_posts")

onRecordCreate((e) => {
    e.record.set("slug", e.record.getString("title").toLowerCase().replace(/[^a-z0-9]+/g, "-"))
    e.next()

    // after the insert, in the same transaction
    const log = new Record($app.findCollectionByNameOrId("jsvm_log"), { "note": "created " + e.record.id })
    e.app.save(log)
}, "jsvm_posts")

onRecordAfterUpdateSuccess((e) => {
    const note = "updated " + e.record.id + " to " + e.record.getString("title")
    e.app.save(new Record(e.app.findCollectionByNameOrId("jsvm_log"), { "note": note }))
    e.next()
}, "jsvm_posts")
`;

/** Lifecycle, cron, mail and collection hooks. JSVM_OUT is a directory the test reads. */
export const JSVM_POINTS = `
onBootstrap((e) => {
    e.next()
    const out = $os.getenv("JSVM_OUT") + "/bootstrap.json"
    $os.writeFile(out, JSON.stringify({ "superusers": $app.countRecords("_superusers"), "dev": $app.isDev() }))
})

onTerminate((e) => {
    $os.writeFile($os.getenv("JSVM_OUT") + "/terminate.json", JSON.stringify({ "isRestart": e.isRestart }))
    e.next()
})

cronAdd("jsvm_nightly", "0 3 * * *", () => {
    const log = $app.findCollectionByNameOrId("jsvm_log")
    $app.save(new Record(log, { "note": "cron ran with " + $app.countRecords("jsvm_log") + " entries" }))
})

onMailerSend((e) => {
    e.message.subject = "[jsvm] " + e.message.subject
    e.next()
})

onMailerRecordPasswordResetSend((e) => {
    const log = $app.findCollectionByNameOrId("jsvm_log")
    $app.save(new Record(log, { "note": "reset mail for " + e.record.email() + " to " + e.message.to[0].address }))
    e.next()
})

onCollectionCreateRequest((e) => {
    if (e.collection.name.startsWith("jsvm_forbidden")) {
        throw new BadRequestError("That name is reserved.")
    }
    if (e.collection.name.startsWith("jsvm_open")) {
        e.collection.listRule = ""
    }
    e.next()
})

onCollectionAfterCreateSuccess((e) => {
    const log = $app.findCollectionByNameOrId("jsvm_log")
    $app.save(new Record(log, { "note": "collection " + e.collection.name + " " + e.collection.id }))
    e.next()
})

onCollectionDelete((e) => {
    const name = e.collection.name
    e.next()
    const log = $app.findCollectionByNameOrId("jsvm_log")
    $app.save(new Record(log, { "note": "deleted collection " + name }))
})
`;

/** A Node-style module beside the PocketBase-style files. */
export const NODE_STYLE = `
module.exports = (app) => {
  app.routerAdd('GET', '/api/jsvm/node-style', (e) => e.json(200, { nodeStyle: true }));
};
`;

/** Settings, batch, backups, realtime, files, model and sign-in hooks. Notes go to the jsvm_log collection. */
export const JSVM_MORE = `
function note(text) {
    $app.save(new Record($app.findCollectionByNameOrId("jsvm_log"), { "note": text }))
}

onSettingsListRequest((e) => {
    e.settings.meta.appName = e.settings.meta.appName + " (listed)"
    e.next()
})

onSettingsUpdateRequest((e) => {
    if (e.newSettings.meta.appName === "forbidden") {
        throw new BadRequestError("Not that name.")
    }
    e.newSettings.meta.senderName = "Sent for " + e.newSettings.meta.appName
    e.next()
})

onSettingsReload((e) => {
    note("settings reloaded: " + e.settings.meta.appName)
    e.next()
})

onBatchRequest((e) => {
    if (e.batch.length > 2) {
        throw new BadRequestError("Two requests per batch at most.")
    }
    for (let request of e.batch) {
        request.body.title = "[batch] " + request.body.title
    }
    e.next()
})

onBackupCreate((e) => {
    note("backup " + e.name)
    e.next()
})

onBackupRestore((e) => {
    throw new BadRequestError("Restores are switched off here (" + e.name + ").")
})

onRealtimeSubscribeRequest((e) => {
    e.subscriptions = e.subscriptions.filter((s) => !s.startsWith("hidden"))
    note("subscribe " + e.client.id() + " " + e.subscriptions.join(","))
    e.next()
})

onFileTokenRequest((e) => {
    note("file token for " + e.record.id + " (auth " + e.auth.id + ", " + e.request.method + " " +
        e.requestInfo().headers["x_custom"] + ")")
    e.next()
})

onFileDownloadRequest((e) => {
    e.servedName = "renamed-" + e.servedName
    note("download " + e.collection.name + "/" + e.record.id + "/" + e.fileField)
    e.next()
}, "jsvm_files")

onModelCreate((e) => {
    e.model.set("seen", "model hook saw " + e.model.getString("title"))
    e.next()
}, "jsvm_models")

onRecordAuthWithPasswordRequest((e) => {
    e.next()
    note("password sign-in of " + e.record.email())
}, "users")
`;
