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

insert into public.tracking_numbers
  (phone_number, client_id, primary_number, sms_forward_number, text_back_enabled, text_back_message, source, number_type)
values
  ('+15125550100', 'acme-plumbing', '+15125550111', '+15125550112', true,
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'Google Ads', 'Source'),
  ('+15125550101', 'acme-plumbing', '+15125550111', '+15125550112', true,
   'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'Website', 'Source'),
  ('+17375550200', 'bright-smiles', '+17375550211', null, false, null, 'Facebook Ads', 'Source')
on conflict (phone_number) do nothing;

insert into public.leads (id, lead_key, client_id, caller, tracking_number, source, status, first_contact_at, last_contact_at) values
  ('10000000-0000-4000-a000-000000000001', 'acme-plumbing:+15125550134', 'acme-plumbing', '+15125550134', '+15125550100', 'Google Ads', 'Contacted', now() - interval '3 days', now() - interval '2 hours'),
  ('10000000-0000-4000-a000-000000000002', 'acme-plumbing:+15125550177', 'acme-plumbing', '+15125550177', '+15125550101', 'Website', 'New', now() - interval '1 day', now() - interval '1 day'),
  ('10000000-0000-4000-a000-000000000003', 'bright-smiles:+17375550145', 'bright-smiles', '+17375550145', '+17375550200', 'Facebook Ads', 'Qualified', now() - interval '5 days', now() - interval '4 days')
on conflict (lead_key) do nothing;

insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, status, forwarded_to, dial_status, dial_duration_seconds, dial_bridged, outcome, missed_reason, duration_seconds, started_at, ended_at) values
  ('CA00000000000000000000000000000001', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', '+15125550100', '+15125550134', 'completed', '+15125550111', 'no-answer', null, false, 'missed', 'no-answer', 25, now() - interval '3 days', now() - interval '3 days' + interval '25 seconds'),
  ('CA00000000000000000000000000000002', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', '+15125550100', '+15125550134', 'completed', '+15125550111', 'completed', 184, true, 'answered', null, 190, now() - interval '2 hours', now() - interval '2 hours' + interval '190 seconds'),
  ('CA00000000000000000000000000000003', 'acme-plumbing', '10000000-0000-4000-a000-000000000002', '+15125550101', '+15125550177', 'completed', '+15125550111', 'completed', 62, true, 'answered', null, 70, now() - interval '1 day', now() - interval '1 day' + interval '70 seconds'),
  ('CA00000000000000000000000000000004', 'bright-smiles', '10000000-0000-4000-a000-000000000003', '+17375550200', '+17375550145', 'completed', '+17375550211', 'completed', 301, true, 'answered', null, 305, now() - interval '5 days', now() - interval '5 days' + interval '305 seconds')
on conflict (call_sid) do nothing;

insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, status, created_at) values
  ('SM00000000000000000000000000000001', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', 'outbound', 'auto', '+15125550100', '+15125550134', 'Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.', 'delivered', now() - interval '3 days' + interval '30 seconds'),
  ('SM00000000000000000000000000000002', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', 'inbound', 'lead', '+15125550100', '+15125550134', 'Hi, my water heater is leaking. Can someone come today?', 'received', now() - interval '3 days' + interval '5 minutes'),
  ('SM00000000000000000000000000000003', 'acme-plumbing', '10000000-0000-4000-a000-000000000001', 'outbound', 'client', '+15125550100', '+15125550134', 'Yes! We can be there by 3pm. Calling you now.', 'delivered', now() - interval '3 days' + interval '9 minutes'),
  ('SM00000000000000000000000000000004', 'bright-smiles', '10000000-0000-4000-a000-000000000003', 'inbound', 'lead', '+17375550200', '+17375550145', 'Do you take Delta Dental?', 'received', now() - interval '4 days')
on conflict (message_sid) do nothing;
