// A PocketBase-style hooks file using the globals nestbase took on last (hooks-jsvm-globals e2e file), each in the
// shape of PocketBase's documentation: $filepath, $os.cmd, Cookie / e.setCookie / e.request.cookie,
// $apis.enrichRecord(s), GeoPointField, the raw body (toString / readerToString of e.request.body); and onRecordAfterCreate/Update/DeleteError, run once the failed write
// rolled back (their own writes stay); onModel… hooks of collections (tag _collections); $dbx expressions in $app.findAllRecords / countRecords.

export const HK_TEAMS = 'hk_teams';
export const HK_PEOPLE = 'hk_people';
export const HK_ITEMS = 'hk_items';
export const HK_FAILURES = 'hk_failures';

export const JSVM_GLOBALS = `
routerAdd("GET", "/hk-globals/paths", (e) => {
    const found = []
    $filepath.walk(__hooks, (path, info, err) => {
        if (err) {
            return err
        }
        if (!info.isDir()) {
            found.push($filepath.rel(__hooks, path))
        }
    })
    return e.json(200, {
        base: $filepath.base("/srv/pb_public/report.final.pdf"),
        dir: $filepath.dir("/srv/pb_public/report.final.pdf"),
        ext: $filepath.ext("/srv/pb_public/report.final.pdf"),
        clean: $filepath.clean("views//partials/../layout.html/"),
        join: $filepath.join("views", "", "emails", "welcome.html"),
        rel: $filepath.rel("/a/b", "/a/c/d"),
        split: $filepath.split("/srv/pb_public/index.html"),
        match: [$filepath.match("*.pb.js", "main.pb.js"), $filepath.match("*.pb.js", "lib/main.pb.js")],
        glob: $filepath.glob($filepath.join(__hooks, "*.pb.js")).map((p) => $filepath.base(p)),
        walked: found,
    })
})

routerAdd("GET", "/hk-globals/cmd", (e) => {
    const cmd = $os.cmd("sh", "-c", "echo \\"$GREETING from $(pwd)\\"; echo oops >&2")
    cmd.dir = __hooks
    cmd.env = ["GREETING=hello", "PATH=/usr/bin:/bin"]
    const output = toString(cmd.output())
    const combined = toString($os.cmd("sh", "-c", "echo out; echo err >&2").combinedOutput())
    let failure = ""
    try {
        $os.exec("sh", "-c", "exit 3").run()
    } catch (err) {
        failure = String(err.message || err)
    }
    return e.json(200, { output: output, combined: combined, failure: failure })
})

routerAdd("GET", "/hk-globals/cookie", (e) => {
    let seen = "none"
    try {
        seen = e.request.cookie("hk_visit").value
    } catch (_) {}
    e.setCookie(new Cookie({
        name: "hk_visit",
        value: seen === "none" ? "1" : String(Number(seen) + 1),
        path: "/",
        maxAge: 3600,
        httpOnly: true,
        secure: true,
        sameSite: 2,
    }))
    e.setCookie(new Cookie({ name: "hk_old", value: "", path: "/", maxAge: -1 }))
    return e.json(200, { seen: seen })
})

routerAdd("GET", "/hk-globals/people/{id}", (e) => {
    const person = $app.findRecordById("${HK_PEOPLE}", e.request.pathValue("id"))
    $apis.enrichRecord(e, person, "team")
    return e.json(200, person)
})

routerAdd("GET", "/hk-globals/people", (e) => {
    const people = $app.findRecordsByFilter("${HK_PEOPLE}", "", "email", 10, 0)
    $apis.enrichRecords(e, people)
    return e.json(200, people)
})

routerAdd("GET", "/hk-globals/geo", (e) => {
    const field = new GeoPointField({ name: "where" })
    return e.json(200, { type: field.type })
})

onRecordDelete((e) => {
    if (e.record.getString("title") === "keep") {
        throw new BadRequestError("Item " + e.record.id + " stays.")
    }
    e.next()
}, "${HK_ITEMS}")

onRecordAfterCreateError((e) => {
    const failures = $app.findCollectionByNameOrId("${HK_FAILURES}")
    $app.save(new Record(failures, { note: "create '" + e.record.getString("title") + "': " + e.error }))
    e.next()
}, "${HK_ITEMS}")

onRecordAfterUpdateError((e) => {
    $app.save(new Record($app.findCollectionByNameOrId("${HK_FAILURES}"), { note: "update " + e.record.id + ": " + e.error }))
    e.next()
}, "${HK_ITEMS}")

onRecordAfterDeleteError((e) => {
    $app.save(new Record($app.findCollectionByNameOrId("${HK_FAILURES}"), { note: "delete " + e.record.id + ": " + e.error }))
    e.next()
}, "${HK_ITEMS}")

routerAdd("GET", "/hk-globals/items", (e) => {
    const title = e.request.url.query().get("title")
    const found = $app.findAllRecords("${HK_ITEMS}",
        $dbx.exp("LOWER(title) = {:title}", { "title": title.toLowerCase() }),
        $dbx.not($dbx.hashExp({ "id": "" })),
    )
    return e.json(200, {
        found: found.map((r) => r.getString("title")),
        both: $app.countRecords("${HK_ITEMS}", $dbx.hashExp({ "title": ["keep", "fine"] })),
        liked: $app.countRecords("${HK_ITEMS}", $dbx.or($dbx.like("title", "ee"), $dbx.like("title", "in"))),
        escaped: $app.countRecords("${HK_ITEMS}", $dbx.like("title", "%")),
        bound: $app.countRecords("${HK_ITEMS}", $dbx.hashExp({ "title": "x' OR 1=1 --" })),
        between: $app.countRecords("${HK_ITEMS}", $dbx.between("title", "a", "g"), $dbx.notIn("title", "zzz")),
    })
})

onModelCreate((e) => {
    if (e.model.name.startsWith("hk_model_")) {
        e.model.listRule = ""
    }
    e.next()
}, "_collections")

onModelAfterCreateSuccess((e) => {
    if (e.model.name.startsWith("hk_model_")) {
        $app.save(new Record($app.findCollectionByNameOrId("${HK_FAILURES}"), { note: "model " + e.model.name + " created" }))
    }
    e.next()
}, "_collections")

routerAdd("POST", "/hk-globals/webhook", (e) => {
    const raw = toString(e.request.body)
    const signature = $security.hs256(raw, "whsec_test")
    return e.json(200, {
        valid: $security.equal(signature, e.request.header.get("X-Signature")),
        raw: raw,
        first: readerToString(e.request.body, 11),
        amount: e.requestInfo().body.amount,
    })
})
`;
