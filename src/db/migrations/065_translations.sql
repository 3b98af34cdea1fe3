-- Machine translations of what members write (src/translate): one row per organisation, field
-- and target language, with the source text it was made from (a changed text is translated again).
CREATE TABLE translations (
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    field TEXT NOT NULL,            -- description, competences, offers, needs, competences_text, offers_text, needs_text
    src_lang TEXT NOT NULL,         -- sv or nb
    dst_lang TEXT NOT NULL,         -- nb or sv
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    translated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, field, dst_lang)
);
-- organisations saved since their texts were last translated; queued is a microsecond clock,
-- so a save during a translation leaves the row for another round
CREATE TABLE translation_queue (
    org_id INTEGER PRIMARY KEY,
    queued INTEGER NOT NULL
);
-- translations are public data: the page cache (002_data_version.sql) must see them arrive
CREATE TRIGGER translations_ins AFTER INSERT ON translations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER translations_upd AFTER UPDATE ON translations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER translations_del AFTER DELETE ON translations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
