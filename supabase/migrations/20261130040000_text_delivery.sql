-- What became of the texts Leadline passes on.

-- A relayed text is a new message Twilio sends from the TwiML answer (<Message action>): a lead's
-- text copied to the client's mobile, or a client's reply copied to the lead. Its SID and delivery
-- status are kept on the row it copies, so a relay that failed is visible there.
alter table public.messages
  add column relay_message_sid text,
  add column relay_status text,
  add column relay_error_code integer;

-- A number Twilio cannot deliver texts to (30006: a landline or an unreachable carrier) is kept
-- with the opt-outs, so everything that skips opted-out numbers skips it too. It did not choose to
-- stop, so it is cleared by the number texting in, which shows it takes texts, not by START alone.
alter table public.opt_outs add column cannot_receive_texts boolean not null default false;

-- A text-back whose call turned out answered after all (a dial outcome replaced the abandoned
-- guess) is canceled rather than left pending, where it would count as this caller's text for a day.
alter table internal.text_backs drop constraint text_backs_status_check;
alter table internal.text_backs add constraint text_backs_status_check
  check (status in ('pending', 'sending', 'sent', 'simulated', 'failed', 'canceled'));

-- The sweep for text-backs whose sender died before finishing.
create index text_backs_unfinished_idx on internal.text_backs (created_at) where status in ('pending', 'sending');
