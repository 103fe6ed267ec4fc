-- Demo data: the Northwind Digital agency, two clients with tracking numbers, and a little history,
-- so the first `npm run dev` shows a living inbox. Safe to run twice.

insert into auth.users (id, email) values
  ('00000000-0000-4000-a000-000000000001', 'owner@northwind.test'),
  ('00000000-0000-4000-a000-000000000002', 'office@acmeplumbing.test'),
  ('00000000-0000-4000-a000-000000000003', 'front-desk@brightsmiles.test')
on conflict (id) do nothing;

insert into public.clients (id, name) values
  ('acme-plumbing', 'Acme Plumbing'),
  ('bright-smiles', 'Bright Smiles Dental')
on conflict (id) do nothing;

insert into public.members (user_id, role, client_id) values
  ('00000000-0000-4000-a000-000000000001', 'agency_admin', null),
  ('00000000-0000-4000-a000-000000000002', 'client', 'acme-plumbing'),
  ('00000000-0000-4000-a000-000000000003', 'client', 'bright-smiles')
on conflict (user_id) do nothing;

-- Acme's site (acmeplumbing.example, and localhost for a local try) prints its Primary Number and
-- runs the tracking script: Google Ads visitors lease one of a pool of three, and get the Google Ads
-- source number when all three are taken; every other visit gets the Website number.
insert into public.tracking_numbers
  (phone_number, client_id, primary_number, sms_forward_number, text_back_enabled, text_back_message, source, number_type, website_domains)
values
  ('+15125550100', 'acme-plumbing', '+15125550111', '+15125550112', true,
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'Google Ads', 'Source', '{localhost,acmeplumbing.example}'),
  ('+15125550101', 'acme-plumbing', '+15125550111', '+15125550112', true,
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'Website', 'Source', '{localhost,acmeplumbing.example}'),
  ('+15125550141', 'acme-plumbing', '+15125550111', '+15125550112', true,
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'Google Ads', 'Pool', '{localhost,acmeplumbing.example}'),
  ('+15125550142', 'acme-plumbing', '+15125550111', '+15125550112', true,
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'Google Ads', 'Pool', '{localhost,acmeplumbing.example}'),
  ('+15125550143', 'acme-plumbing', '+15125550111', '+15125550112', true,
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'Google Ads', 'Pool', '{localhost,acmeplumbing.example}'),
  ('+17375550200', 'bright-smiles', '+17375550211', null, false, null, 'Facebook Ads', 'Source', '{}')
on conflict (phone_number) do nothing;

-- Leads across both clients, every status, named and not, one withheld caller. The first three ids
-- are the ones tests and the end-to-end run know.
insert into public.leads (id, lead_key, client_id, caller, caller_withheld, tracking_number, source, status, name, value, notes, first_contact_at, last_contact_at) values
  ('10000000-0000-4000-a000-000000000001', 'acme-plumbing:+15125550134', 'acme-plumbing', '+15125550134', false, '+15125550100', 'Google Ads', 'Contacted', 'Jordan Reyes', 850,
   'Water heater leaking in the garage: 40-gallon gas unit, about 12 years old. Quoted a replacement.', now() - interval '3 days', now() - interval '2 hours'),
  ('10000000-0000-4000-a000-000000000002', 'acme-plumbing:+15125550177', 'acme-plumbing', '+15125550177', false, '+15125550101', 'Website', 'New', null, null, null, now() - interval '1 day', now() - interval '1 day'),
  ('10000000-0000-4000-a000-000000000003', 'bright-smiles:+17375550145', 'bright-smiles', '+17375550145', false, '+17375550200', 'Facebook Ads', 'Qualified', 'Emily Carter', 1200,
   'New patient. Asked about Delta Dental PPO; wants a cleaning and a whitening consult.', now() - interval '5 days', now() - interval '4 days'),
  ('10000000-0000-4000-a000-000000000004', 'acme-plumbing:+15125550121', 'acme-plumbing', '+15125550121', false, '+15125550100', 'Google Ads', 'New', 'Marcus Bell', null, null, now() - interval '25 minutes', now() - interval '25 minutes'),
  ('10000000-0000-4000-a000-000000000005', 'acme-plumbing:+15125550122', 'acme-plumbing', '+15125550122', false, '+15125550101', 'Website', 'New', null, null, null, now() - interval '50 minutes', now() - interval '50 minutes'),
  ('10000000-0000-4000-a000-000000000006', 'acme-plumbing:+15125550123', 'acme-plumbing', '+15125550123', false, '+15125550100', 'Google Ads', 'Qualified', 'Hannah Kim', 4200,
   'Whole-house repipe. Estimate visit booked for Tuesday at 9am.', now() - interval '6 hours', now() - interval '6 hours'),
  ('10000000-0000-4000-a000-000000000007', 'acme-plumbing:+15125550124', 'acme-plumbing', '+15125550124', false, '+15125550100', 'Google Ads', 'Won', 'Luis Moreno', 650,
   'Replaced the kitchen faucet and supply lines. Paid on site.', now() - interval '2 days', now() - interval '2 days'),
  ('10000000-0000-4000-a000-000000000008', 'acme-plumbing:+15125550125', 'acme-plumbing', '+15125550125', false, '+15125550101', 'Website', 'Lost', null, null,
   'Went with another plumber on price.', now() - interval '4 days', now() - interval '4 days'),
  ('10000000-0000-4000-a000-000000000009', 'acme-plumbing:+15125550126', 'acme-plumbing', '+15125550126', false, '+15125550100', 'Google Ads', 'Spam', null, null,
   'Robocall about an extended warranty.', now() - interval '3 days', now() - interval '3 days'),
  ('10000000-0000-4000-a000-000000000010', 'acme-plumbing:withheld:CA5eed0000000000000000000000000013', 'acme-plumbing', 'anonymous', true, '+15125550100', 'Google Ads', 'New', null, null, null,
   now() - interval '9 hours', now() - interval '9 hours'),
  ('10000000-0000-4000-a000-000000000011', 'acme-plumbing:+15125550127', 'acme-plumbing', '+15125550127', false, '+15125550101', 'Website', 'Contacted', 'Grace Liu', 300,
   'Slow leak under the bathroom sink; sent a photo.', now() - interval '1 day 3 hours', now() - interval '1 day 3 hours'),
  ('10000000-0000-4000-a000-000000000012', 'bright-smiles:+17375550146', 'bright-smiles', '+17375550146', false, '+17375550200', 'Facebook Ads', 'New', 'Olivia Grant', null, null, now() - interval '2 hours', now() - interval '2 hours'),
  ('10000000-0000-4000-a000-000000000013', 'bright-smiles:+17375550147', 'bright-smiles', '+17375550147', false, '+17375550200', 'Facebook Ads', 'Contacted', null, null,
   'Crown consultation booked for next Monday.', now() - interval '1 day', now() - interval '1 day'),
  ('10000000-0000-4000-a000-000000000014', 'bright-smiles:+17375550148', 'bright-smiles', '+17375550148', false, '+17375550200', 'Facebook Ads', 'Won', 'Noah Patel', 3500,
   'Started Invisalign.', now() - interval '6 days', now() - interval '2 days')
on conflict (lead_key) do nothing;

insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, status, forwarded_to, dial_status, dial_duration_seconds, dial_bridged, outcome, missed_reason, duration_seconds, started_at, ended_at) values
  ('CA00000000000000000000000000000001', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', '+15125550100', '+15125550134', 'completed', '+15125550111', 'no-answer', null, false, 'missed', 'no-answer', 25, now() - interval '3 days', now() - interval '3 days' + interval '25 seconds'),
  ('CA00000000000000000000000000000002', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', '+15125550100', '+15125550134', 'completed', '+15125550111', 'completed', 184, true, 'answered', null, 190, now() - interval '2 hours', now() - interval '2 hours' + interval '190 seconds'),
  ('CA00000000000000000000000000000003', 'acme-plumbing', '10000000-0000-4000-a000-000000000002', '+15125550101', '+15125550177', 'completed', '+15125550111', 'completed', 62, true, 'answered', null, 70, now() - interval '1 day', now() - interval '1 day' + interval '70 seconds'),
  ('CA00000000000000000000000000000004', 'bright-smiles', '10000000-0000-4000-a000-000000000003', '+17375550200', '+17375550145', 'completed', '+17375550211', 'completed', 301, true, 'answered', null, 305, now() - interval '5 days', now() - interval '5 days' + interval '305 seconds')
on conflict (call_sid) do nothing;

insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, status, forwarded_to, dial_status, dial_duration_seconds, dial_bridged, outcome, missed_reason, duration_seconds, recording_sid, recording_url, recording_duration_seconds, started_at, ended_at) values
  ('CA5eed0000000000000000000000000005', 'acme-plumbing', '10000000-0000-4000-a000-000000000004', '+15125550100', '+15125550121', 'completed', '+15125550111', 'no-answer', null, false, 'missed', 'no-answer', 58,
   'RE5eed0000000000000000000000000005', 'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE5eed0000000000000000000000000005', 34,
   now() - interval '25 minutes', now() - interval '25 minutes' + interval '58 seconds'),
  ('CA5eed0000000000000000000000000006', 'acme-plumbing', '10000000-0000-4000-a000-000000000006', '+15125550100', '+15125550123', 'completed', '+15125550111', 'completed', 432, true, 'answered', null, 440, null, null, null, now() - interval '6 hours', now() - interval '6 hours' + interval '440 seconds'),
  ('CA5eed0000000000000000000000000007', 'acme-plumbing', '10000000-0000-4000-a000-000000000007', '+15125550100', '+15125550124', 'completed', '+15125550111', 'completed', 251, true, 'answered', null, 258, null, null, null, now() - interval '2 days', now() - interval '2 days' + interval '258 seconds'),
  ('CA5eed0000000000000000000000000008', 'acme-plumbing', '10000000-0000-4000-a000-000000000008', '+15125550101', '+15125550125', 'completed', '+15125550111', 'completed', 65, true, 'answered', null, 71, null, null, null, now() - interval '4 days', now() - interval '4 days' + interval '71 seconds'),
  ('CA5eed0000000000000000000000000009', 'acme-plumbing', '10000000-0000-4000-a000-000000000009', '+15125550100', '+15125550126', 'completed', '+15125550111', 'completed', 6, true, 'missed', 'too-short', 9, null, null, null, now() - interval '3 days', now() - interval '3 days' + interval '9 seconds'),
  ('CA5eed0000000000000000000000000013', 'acme-plumbing', '10000000-0000-4000-a000-000000000010', '+15125550100', 'anonymous', 'completed', '+15125550111', null, null, null, 'missed', 'abandoned', 12, null, null, null, now() - interval '9 hours', now() - interval '9 hours' + interval '12 seconds'),
  ('CA5eed0000000000000000000000000010', 'bright-smiles', '10000000-0000-4000-a000-000000000012', '+17375550200', '+17375550146', 'completed', '+17375550211', 'busy', null, false, 'missed', 'busy', 4, null, null, null, now() - interval '2 hours', now() - interval '2 hours' + interval '4 seconds'),
  ('CA5eed0000000000000000000000000011', 'bright-smiles', '10000000-0000-4000-a000-000000000013', '+17375550200', '+17375550147', 'completed', '+17375550211', 'completed', 281, true, 'answered', null, 290, null, null, null, now() - interval '1 day', now() - interval '1 day' + interval '290 seconds'),
  ('CA5eed0000000000000000000000000012', 'bright-smiles', '10000000-0000-4000-a000-000000000014', '+17375550200', '+17375550148', 'completed', '+17375550211', 'completed', 522, true, 'answered', null, 530, null, null, null, now() - interval '6 days', now() - interval '6 days' + interval '530 seconds')
on conflict (call_sid) do nothing;

insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, status, created_at) values
  ('SM00000000000000000000000000000001', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', 'outbound', 'auto', '+15125550100', '+15125550134', 'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'delivered', now() - interval '3 days' + interval '30 seconds'),
  ('SM00000000000000000000000000000002', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', 'inbound', 'lead', '+15125550100', '+15125550134', 'Hi, my water heater is leaking. Can someone come today?', 'received', now() - interval '3 days' + interval '5 minutes'),
  ('SM00000000000000000000000000000003', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', 'outbound', 'client', '+15125550100', '+15125550134', 'Yes! We can be there by 3pm. Calling you now.', 'delivered', now() - interval '3 days' + interval '9 minutes'),
  ('SM00000000000000000000000000000004', 'bright-smiles', '10000000-0000-4000-a000-000000000003', 'inbound', 'lead', '+17375550200', '+17375550145', 'Do you take Delta Dental?', 'received', now() - interval '4 days')
on conflict (message_sid) do nothing;

insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, media, status, relay_status, created_at) values
  ('SM5eed0000000000000000000000000005', 'acme-plumbing', '10000000-0000-4000-a000-000000000004', 'outbound', 'auto', '+15125550100', '+15125550121',
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', '[]', 'delivered', null, now() - interval '24 minutes'),
  ('SM5eed0000000000000000000000000006', 'acme-plumbing', '10000000-0000-4000-a000-000000000005', 'inbound', 'lead', '+15125550101', '+15125550122',
   'Do you do drain cleaning on weekends?', '[]', 'received', 'delivered', now() - interval '50 minutes'),
  ('SM5eed0000000000000000000000000007', 'acme-plumbing', '10000000-0000-4000-a000-000000000006', 'outbound', 'client', '+15125550100', '+15125550123',
   'Great talking with you, Hannah. See you Tuesday at 9!', '[]', 'relayed', 'delivered', now() - interval '5 hours 50 minutes'),
  ('SM5eed0000000000000000000000000008', 'acme-plumbing', '10000000-0000-4000-a000-000000000008', 'inbound', 'lead', '+15125550101', '+15125550125',
   'STOP', '[]', 'received', null, now() - interval '4 days' + interval '2 hours'),
  ('SM5eed0000000000000000000000000009', 'acme-plumbing', '10000000-0000-4000-a000-000000000011', 'inbound', 'lead', '+15125550101', '+15125550127',
   'Here is the leak under the bathroom sink.', '[{"url": "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/SM5eed0000000000000000000000000009/Media/ME5eed0000000000000000000000000009", "contentType": "image/jpeg"}]',
   'received', 'delivered', now() - interval '1 day 3 hours'),
  ('SM5eed0000000000000000000000000010', 'acme-plumbing', '10000000-0000-4000-a000-000000000011', 'outbound', 'client', '+15125550101', '+15125550127',
   'Thanks, Grace! We can come Thursday at 10am.', '[]', 'delivered', null, now() - interval '1 day 2 hours'),
  ('SM5eed0000000000000000000000000011', 'bright-smiles', '10000000-0000-4000-a000-000000000014', 'inbound', 'lead', '+17375550200', '+17375550148',
   'Is Invisalign covered by my plan?', '[]', 'received', 'delivered', now() - interval '6 days' + interval '20 minutes'),
  ('SM5eed0000000000000000000000000012', 'bright-smiles', '10000000-0000-4000-a000-000000000014', 'outbound', 'client', '+17375550200', '+17375550148',
   'Partly! Come in for a free scan and we will go over it.', '[]', 'relayed', 'delivered', now() - interval '2 days')
on conflict (message_sid) do nothing;

-- The Lost lead texted STOP, so the inbox says why it cannot reply.
insert into public.opt_outs (client_id, phone, reason, opted_out_at) values
  ('acme-plumbing', '+15125550125', 'texted STOP', now() - interval '4 days' + interval '2 hours')
on conflict (client_id, phone) do nothing;

-- Acme's user has opened a few threads, so the inbox shows some read and some unread.
insert into public.lead_reads (user_id, lead_id, read_at) values
  ('00000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000001', now() - interval '1 day'),
  ('00000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000006', now() - interval '5 hours'),
  ('00000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000007', now() - interval '1 day'),
  ('00000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000008', now() - interval '1 day'),
  ('00000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000009', now() - interval '1 day')
on conflict (user_id, lead_id) do nothing;

-- The demo leads are not news: no browser is alerted to them.
delete from internal.push_alerts where lead_id::text like '10000000-0000-4000-a000-%';
