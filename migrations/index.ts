import { Disclosures1796600300000 } from './1796600300000-Disclosures';
import { BansAndTravel1796500100000 } from './1796500100000-BansAndTravel';
import { EnforcementAlerts1796500000000 } from './1796500000000-EnforcementAlerts';
import { Places1796500200000 } from './1796500200000-Places';
import { AddressChecks1796500300000 } from './1796500300000-AddressChecks';
import { CaseFiles1796600400000 } from './1796600400000-CaseFiles';
import { Statistics1796700000000 } from './1796700000000-Statistics';
import { ComplianceOnce1796700100000 } from './1796700100000-ComplianceOnce';
import { ActVoids1796800000000 } from './1796800000000-ActVoids';
import { ComplianceStates1796800100000 } from './1796800100000-ComplianceStates';
import { PersonStates1796900000000 } from './1796900000000-PersonStates';
import { StatisticsDays1796900100000 } from './1796900100000-StatisticsDays';
import { Counselling1796500400000 } from './1796500400000-Counselling';
import { ProximityPairs1796600100000 } from './1796600100000-ProximityPairs';
import { Vetting1796600200000 } from './1796600200000-Vetting';
import { Referrals1796600000000 } from './1796600000000-Referrals';
import { ReportingSchedules1796400200000 } from './1796400200000-ReportingSchedules';
import { ReleaseReadiness1796400400000 } from './1796400400000-ReleaseReadiness';
import { Acknowledgements1796400300000 } from './1796400300000-Acknowledgements';
import { Releases1796400100000 } from './1796400100000-Releases';
import { ReferenceData1796400000000 } from './1796400000000-ReferenceData';
import { RoleChanges1796283000000 } from './1796283000000-RoleChanges';
import { HeldAdminChanges1796300000000 } from './1796300000000-HeldAdminChanges';
import { HeldAccountChanges1796290000000 } from './1796290000000-HeldAccountChanges';
import { AuditTamperGuards1796280000000 } from './1796280000000-AuditTamperGuards';
import { UsageQuotas1796275200000 } from './1796275200000-UsageQuotas';
import { Arrivals1796274829651 } from './1796274829651-Arrivals';
import { RegisterViews1796271236418 } from './1796271236418-RegisterViews';
import { SearchWords1795900826039 } from './1795900826039-SearchWords';
import { Compliance1795890758052 } from './1795890758052-Compliance';
import { Photos1795888382804 } from './1795888382804-Photos';
import { Workplaces1795888183952 } from './1795888183952-Workplaces';
import { ConvictionsAndMeasures1795887515213 } from './1795887515213-ConvictionsAndMeasures';
import { PersonDetails1795887282507 } from './1795887282507-PersonDetails';
import { Addresses1795886994282 } from './1795886994282-Addresses';
import { Register1795886643143 } from './1795886643143-Register';
import { Audit1795884000000 } from './1795884000000-Audit';
import { Identity1795883668279 } from './1795883668279-Identity';
/**
 * The migrations, oldest first. A migration is never edited once it has
 * landed on main; changes come as new migrations appended here.
 */
export const MIGRATIONS: Function[] = [
  Identity1795883668279,
  Audit1795884000000,
  Register1795886643143,
  Addresses1795886994282,
  PersonDetails1795887282507,
  ConvictionsAndMeasures1795887515213,
  Workplaces1795888183952,
  Photos1795888382804,
  Compliance1795890758052,
  SearchWords1795900826039,
  RegisterViews1796271236418,
  Arrivals1796274829651,
  UsageQuotas1796275200000,
  AuditTamperGuards1796280000000,
  RoleChanges1796283000000,
  HeldAccountChanges1796290000000,
  HeldAdminChanges1796300000000,
  ReferenceData1796400000000,
  Releases1796400100000,
  ReportingSchedules1796400200000,
  Acknowledgements1796400300000,
  ReleaseReadiness1796400400000,
  EnforcementAlerts1796500000000,
  BansAndTravel1796500100000,
  Places1796500200000,
  AddressChecks1796500300000,
  Counselling1796500400000,
  Referrals1796600000000,
  ProximityPairs1796600100000,
  Vetting1796600200000,
  Disclosures1796600300000,
  CaseFiles1796600400000,
  Statistics1796700000000,
  ComplianceOnce1796700100000,
  ActVoids1796800000000,
  ComplianceStates1796800100000,
  PersonStates1796900000000,
  StatisticsDays1796900100000,
];
