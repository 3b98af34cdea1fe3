-- 032: an action item keeps the text of its bullet as published (issue 11, finding 10).
-- The text is taken when the bullet becomes an action item (it must be approved then) and again
-- whenever the bullet is approved with a new text; a bullet set back to pending, rejected or edited
-- without approval no longer shows through the action item, its API or the series follow-up.
-- Existing action items take their bullet's text only where that bullet is approved now; the others
-- show no text until the hosts approve the bullet again.
ALTER TABLE rt_actions ADD COLUMN text TEXT;
UPDATE rt_actions SET text = (SELECT b.text FROM rt_bullets b WHERE b.id = rt_actions.bullet_id AND b.status = 'approved');

-- The public history of an action item names the role of whoever changed it (organiser, host,
-- admin; import for the command line), never a user id (issue 11, low). Older entries have none.
ALTER TABLE rt_action_log ADD COLUMN role TEXT CHECK (role IS NULL OR role IN ('organiser','host','admin','import'));
