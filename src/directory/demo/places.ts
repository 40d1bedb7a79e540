// The real places the demo directory is set in: towns and neighbourhoods of every council area with
// a postcode district that really covers them (checked against data/geo/uk-outcodes.csv by the
// tests), the hospitals with eye clinics where sight-loss services place their liaison officers,
// and the pools of invented street and building names the addresses are made from.

export interface DemoTown {
  /** What people call the place, and what service names use: "Leith", "Portree". */
  name: string;
  /** The post town that goes in an address: "Edinburgh" for Leith. */
  postTown: string;
  /** Postcode districts that cover the place, all in this council area. */
  outcodes: readonly string[];
  /** Relative share of the area's services. */
  weight: number;
  /** The Gaelic name where it is in everyday use, for locations' alternate names. */
  gaelicName?: string;
}

export interface DemoCouncilArea {
  /** As in the council_area table. */
  name: string;
  /** How local charities put the area in their names: "Dumfries & Galloway", "Western Isles". */
  shortName: string;
  /** Mid-2022 population estimate in thousands, to share services out in proportion. */
  populationThousands: number;
  /** How much Gaelic-named and Gaelic-speaking provision the area has, 0 to 1. */
  gaelic: number;
  /** Phone numbers drawn from Ofcom's drama ranges for the area's dialling code. */
  phoneRange: 'glasgow' | 'edinburgh' | 'other';
  towns: readonly DemoTown[];
}

function town(name: string, outcodes: string, weight: number, extra: { postTown?: string; gaelicName?: string } = {}): DemoTown {
  return {
    name,
    postTown: extra.postTown ?? name,
    outcodes: outcodes.split(' '),
    weight,
    ...(extra.gaelicName ? { gaelicName: extra.gaelicName } : {}),
  };
}

const inEdinburgh = { postTown: 'Edinburgh' };
const inGlasgow = { postTown: 'Glasgow' };
const inDundee = { postTown: 'Dundee' };
const inAberdeen = { postTown: 'Aberdeen' };

export const DEMO_COUNCIL_AREAS: readonly DemoCouncilArea[] = [
  {
    name: 'Aberdeen City', shortName: 'Aberdeen', populationThousands: 224, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Aberdeen', 'AB10 AB11 AB24 AB25', 8),
      town('Torry', 'AB11', 2, inAberdeen),
      town('Tillydrone', 'AB24', 1, inAberdeen),
      town('Northfield', 'AB16', 2, inAberdeen),
      town('Kincorth', 'AB12', 1, inAberdeen),
      town('Bridge of Don', 'AB22', 2, inAberdeen),
      town('Dyce', 'AB21', 1, inAberdeen),
      town('Cults', 'AB15', 1, inAberdeen),
      town('Peterculter', 'AB14', 1, inAberdeen),
    ],
  },
  {
    name: 'Aberdeenshire', shortName: 'Aberdeenshire', populationThousands: 263, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Peterhead', 'AB42', 4), town('Fraserburgh', 'AB43', 3), town('Inverurie', 'AB51', 3),
      town('Stonehaven', 'AB39', 3), town('Ellon', 'AB41', 2), town('Banchory', 'AB31', 2),
      town('Westhill', 'AB32', 2), town('Huntly', 'AB54', 1), town('Turriff', 'AB53', 1),
      town('Banff', 'AB45', 1), town('Macduff', 'AB44', 1), town('Aboyne', 'AB34', 1),
      town('Ballater', 'AB35', 1), town('Alford', 'AB33', 1), town('Laurencekirk', 'AB30', 1),
      town('Insch', 'AB52', 1),
    ],
  },
  {
    name: 'Angus', shortName: 'Angus', populationThousands: 115, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Arbroath', 'DD11', 4), town('Forfar', 'DD8', 3), town('Kirriemuir', 'DD8', 1),
      town('Carnoustie', 'DD7', 2), town('Brechin', 'DD9', 2),
    ],
  },
  {
    name: 'Argyll and Bute', shortName: 'Argyll & Bute', populationThousands: 86, gaelic: 0.35, phoneRange: 'other',
    towns: [
      town('Helensburgh', 'G84', 4), town('Oban', 'PA34', 3, { gaelicName: 'An t-Òban' }), town('Dunoon', 'PA23', 3),
      town('Campbeltown', 'PA28', 2), town('Rothesay', 'PA20', 2), town('Lochgilphead', 'PA31', 1),
      town('Inveraray', 'PA32', 1), town('Tobermory', 'PA75', 1), town('Bowmore', 'PA43', 1),
      town('Port Ellen', 'PA42', 1), town('Tarbert', 'PA29', 1),
    ],
  },
  {
    name: 'City of Edinburgh', shortName: 'Edinburgh', populationThousands: 514, gaelic: 0.03, phoneRange: 'edinburgh',
    towns: [
      town('Edinburgh', 'EH1 EH2 EH3 EH8', 6),
      town('Leith', 'EH6', 4, inEdinburgh), town('Portobello', 'EH15', 2, inEdinburgh),
      town('Gorgie', 'EH11', 2, inEdinburgh), town('Sighthill', 'EH11', 1, inEdinburgh),
      town('Wester Hailes', 'EH14', 2, inEdinburgh), town('Morningside', 'EH10', 1, inEdinburgh),
      town('Corstorphine', 'EH12', 2, inEdinburgh), town('Craigmillar', 'EH16', 2, inEdinburgh),
      town('Liberton', 'EH16', 1, inEdinburgh), town('Gilmerton', 'EH17', 1, inEdinburgh),
      town('Granton', 'EH5', 2, inEdinburgh), town('Pilton', 'EH4', 2, inEdinburgh),
      town('Oxgangs', 'EH13', 1, inEdinburgh), town('Craigentinny', 'EH7', 1, inEdinburgh),
      town('Marchmont', 'EH9', 1, inEdinburgh), town('Tollcross', 'EH3', 1, inEdinburgh),
      town('Balerno', 'EH14', 1), town('South Queensferry', 'EH30', 1), town('Kirkliston', 'EH29', 1),
    ],
  },
  {
    name: 'Clackmannanshire', shortName: 'Clackmannanshire', populationThousands: 51, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Alloa', 'FK10', 4), town('Tullibody', 'FK10', 1, { postTown: 'Alloa' }), town('Tillicoultry', 'FK13', 1),
      town('Alva', 'FK12', 1), town('Dollar', 'FK14', 1), town('Menstrie', 'FK11', 1),
    ],
  },
  {
    name: 'Dumfries and Galloway', shortName: 'Dumfries & Galloway', populationThousands: 145, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Dumfries', 'DG1 DG2', 5), town('Stranraer', 'DG9', 2), town('Annan', 'DG12', 2),
      town('Castle Douglas', 'DG7', 1), town('Dalbeattie', 'DG5', 1), town('Kirkcudbright', 'DG6', 1),
      town('Lockerbie', 'DG11', 1), town('Newton Stewart', 'DG8', 1), town('Moffat', 'DG10', 1),
      town('Langholm', 'DG13', 1), town('Sanquhar', 'DG4', 1), town('Thornhill', 'DG3', 1),
      town('Gretna', 'DG16', 1),
    ],
  },
  {
    name: 'Dundee City', shortName: 'Dundee', populationThousands: 149, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Dundee', 'DD1 DD3', 5), town('Lochee', 'DD2', 2, inDundee), town('Broughty Ferry', 'DD5', 2, inDundee),
      town('Whitfield', 'DD4', 1, inDundee), town('Stobswell', 'DD4', 1, inDundee), town('Hilltown', 'DD3', 1, inDundee),
      town('Menzieshill', 'DD2', 1, inDundee), town('Ardler', 'DD2', 1, inDundee),
    ],
  },
  {
    name: 'East Ayrshire', shortName: 'East Ayrshire', populationThousands: 120, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Kilmarnock', 'KA1 KA3', 5), town('Cumnock', 'KA18', 2), town('Auchinleck', 'KA18', 1, { postTown: 'Cumnock' }),
      town('Stewarton', 'KA3', 1, { postTown: 'Kilmarnock' }), town('Galston', 'KA4', 1), town('Newmilns', 'KA16', 1),
      town('Darvel', 'KA17', 1), town('Mauchline', 'KA5', 1),
    ],
  },
  {
    name: 'East Dunbartonshire', shortName: 'East Dunbartonshire', populationThousands: 109, gaelic: 0.05, phoneRange: 'glasgow',
    towns: [
      town('Kirkintilloch', 'G66', 3, { postTown: 'Glasgow' }), town('Bishopbriggs', 'G64', 3, inGlasgow),
      town('Bearsden', 'G61', 2, inGlasgow), town('Milngavie', 'G62', 2, inGlasgow), town('Lenzie', 'G66', 1, inGlasgow),
    ],
  },
  {
    name: 'East Lothian', shortName: 'East Lothian', populationThousands: 112, gaelic: 0, phoneRange: 'edinburgh',
    towns: [
      town('Musselburgh', 'EH21', 4), town('Haddington', 'EH41', 2), town('Tranent', 'EH33', 2),
      town('Prestonpans', 'EH32', 2), town('Dunbar', 'EH42', 2), town('North Berwick', 'EH39', 2),
      town('Gullane', 'EH31', 1), town('East Linton', 'EH40', 1), town('Ormiston', 'EH35', 1, { postTown: 'Tranent' }),
    ],
  },
  {
    name: 'East Renfrewshire', shortName: 'East Renfrewshire', populationThousands: 97, gaelic: 0, phoneRange: 'glasgow',
    towns: [
      town('Barrhead', 'G78', 3, inGlasgow), town('Newton Mearns', 'G77', 3, inGlasgow), town('Giffnock', 'G46', 2, inGlasgow),
      town('Clarkston', 'G76', 2, inGlasgow), town('Thornliebank', 'G46', 1, inGlasgow), town('Neilston', 'G78', 1, inGlasgow),
    ],
  },
  {
    name: 'Falkirk', shortName: 'Falkirk', populationThousands: 159, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Falkirk', 'FK1 FK2', 5), town('Grangemouth', 'FK3', 2), town("Bo'ness", 'EH51', 2),
      town('Larbert', 'FK5', 2), town('Stenhousemuir', 'FK5', 1, { postTown: 'Larbert' }), town('Denny', 'FK6', 1),
      town('Bonnybridge', 'FK4', 1), town('Polmont', 'FK2', 1, { postTown: 'Falkirk' }),
    ],
  },
  {
    name: 'Fife', shortName: 'Fife', populationThousands: 372, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Kirkcaldy', 'KY1 KY2', 5), town('Dunfermline', 'KY11 KY12', 5), town('Glenrothes', 'KY6 KY7', 4),
      town('St Andrews', 'KY16', 2), town('Cupar', 'KY15', 2), town('Leven', 'KY8', 2),
      town('Methil', 'KY8', 1, { postTown: 'Leven' }), town('Cowdenbeath', 'KY4', 2), town('Lochgelly', 'KY5', 1),
      town('Burntisland', 'KY3', 1), town('Kinghorn', 'KY3', 1, { postTown: 'Burntisland' }), town('Anstruther', 'KY10', 1),
      town('Inverkeithing', 'KY11', 1), town('Rosyth', 'KY11', 1, { postTown: 'Dunfermline' }), town('Kelty', 'KY4', 1),
      town('Tayport', 'DD6', 1), town('Newport-on-Tay', 'DD6', 1),
    ],
  },
  {
    name: 'Glasgow City', shortName: 'Glasgow', populationThousands: 622, gaelic: 0.04, phoneRange: 'glasgow',
    towns: [
      town('Glasgow', 'G1 G2 G3 G4', 5),
      town('Govan', 'G51', 3, inGlasgow), town('Partick', 'G11', 2, inGlasgow), town('Maryhill', 'G20', 3, inGlasgow),
      town('Springburn', 'G21', 2, inGlasgow), town('Possilpark', 'G22', 2, inGlasgow), town('Easterhouse', 'G34', 3, inGlasgow),
      town('Castlemilk', 'G45', 2, inGlasgow), town('Drumchapel', 'G15', 2, inGlasgow), town('Pollokshields', 'G41', 2, inGlasgow),
      town('Govanhill', 'G42', 3, inGlasgow), town('Shettleston', 'G32', 2, inGlasgow), town('Parkhead', 'G31', 2, inGlasgow),
      town('Dennistoun', 'G31', 2, inGlasgow), town('Bridgeton', 'G40', 2, inGlasgow), town('Gorbals', 'G5', 2, inGlasgow),
      town('Pollok', 'G53', 2, inGlasgow), town('Cardonald', 'G52', 1, inGlasgow), town('Scotstoun', 'G14', 1, inGlasgow),
      town('Knightswood', 'G13', 2, inGlasgow), town('Hyndland', 'G12', 1, inGlasgow), town('Cathcart', 'G44', 1, inGlasgow),
      town('Shawlands', 'G41', 1, inGlasgow), town('Riddrie', 'G33', 1, inGlasgow), town('Toryglen', 'G42', 1, inGlasgow),
      town('Baillieston', 'G69', 1, inGlasgow), town('Anniesland', 'G13', 1, inGlasgow),
    ],
  },
  {
    name: 'Highland', shortName: 'Highland', populationThousands: 236, gaelic: 0.3, phoneRange: 'other',
    towns: [
      town('Inverness', 'IV1 IV2 IV3', 8, { gaelicName: 'Inbhir Nis' }), town('Fort William', 'PH33', 3, { gaelicName: 'An Gearasdan' }),
      town('Nairn', 'IV12', 2), town('Dingwall', 'IV15', 2, { gaelicName: 'Inbhir Pheofharain' }), town('Thurso', 'KW14', 2),
      town('Wick', 'KW1', 2), town('Alness', 'IV17', 2), town('Invergordon', 'IV18', 1), town('Tain', 'IV19', 1),
      town('Aviemore', 'PH22', 1), town('Portree', 'IV51', 2, { gaelicName: 'Port Rìgh' }),
      town('Broadford', 'IV49', 1, { postTown: 'Isle of Skye', gaelicName: 'An t-Àth Leathann' }),
      town('Dunvegan', 'IV55', 1, { postTown: 'Isle of Skye' }), town('Kyle of Lochalsh', 'IV40', 1),
      town('Ullapool', 'IV26', 1, { gaelicName: 'Ulapul' }), town('Golspie', 'KW10', 1), town('Brora', 'KW9', 1),
      town('Dornoch', 'IV25', 1), town('Grantown-on-Spey', 'PH26', 1), town('Kingussie', 'PH21', 1),
      town('Mallaig', 'PH41', 1), town('Gairloch', 'IV21', 1), town('Lairg', 'IV27', 1), town('Beauly', 'IV4', 1),
    ],
  },
  {
    name: 'Inverclyde', shortName: 'Inverclyde', populationThousands: 78, gaelic: 0, phoneRange: 'glasgow',
    towns: [
      town('Greenock', 'PA15 PA16', 5), town('Port Glasgow', 'PA14', 2), town('Gourock', 'PA19', 2),
      town('Kilmacolm', 'PA13', 1), town('Wemyss Bay', 'PA18', 1),
    ],
  },
  {
    name: 'Midlothian', shortName: 'Midlothian', populationThousands: 96, gaelic: 0, phoneRange: 'edinburgh',
    towns: [
      town('Dalkeith', 'EH22', 3), town('Penicuik', 'EH26', 3), town('Bonnyrigg', 'EH19', 2), town('Loanhead', 'EH20', 1),
      town('Gorebridge', 'EH23', 1), town('Mayfield', 'EH22', 1, { postTown: 'Dalkeith' }),
      town('Newtongrange', 'EH22', 1, { postTown: 'Dalkeith' }), town('Roslin', 'EH25', 1), town('Pathhead', 'EH37', 1),
    ],
  },
  {
    name: 'Moray', shortName: 'Moray', populationThousands: 94, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Elgin', 'IV30', 4), town('Forres', 'IV36', 2), town('Buckie', 'AB56', 2), town('Keith', 'AB55', 1),
      town('Lossiemouth', 'IV31', 1), town('Aberlour', 'AB38', 1), town('Fochabers', 'IV32', 1), town('Dufftown', 'AB55', 1, { postTown: 'Keith' }),
    ],
  },
  {
    name: 'Na h-Eileanan Siar', shortName: 'Western Isles', populationThousands: 26, gaelic: 0.8, phoneRange: 'other',
    towns: [
      town('Stornoway', 'HS1', 5, { postTown: 'Isle of Lewis', gaelicName: 'Steòrnabhagh' }),
      town('Barvas', 'HS2', 1, { postTown: 'Isle of Lewis', gaelicName: 'Barabhas' }),
      town('Tarbert', 'HS3', 1, { postTown: 'Isle of Harris', gaelicName: 'An Tairbeart' }),
      town('Leverburgh', 'HS5', 1, { postTown: 'Isle of Harris', gaelicName: 'An t-Ob' }),
      town('Lochmaddy', 'HS6', 1, { postTown: 'Isle of North Uist', gaelicName: 'Loch nam Madadh' }),
      town('Balivanich', 'HS7', 1, { postTown: 'Isle of Benbecula', gaelicName: "Baile a' Mhanaich" }),
      town('Lochboisdale', 'HS8', 1, { postTown: 'Isle of South Uist', gaelicName: 'Loch Baghasdail' }),
      town('Castlebay', 'HS9', 1, { postTown: 'Isle of Barra', gaelicName: "Bàgh a' Chaisteil" }),
    ],
  },
  {
    name: 'North Ayrshire', shortName: 'North Ayrshire', populationThousands: 134, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Irvine', 'KA11 KA12', 5), town('Kilwinning', 'KA13', 2), town('Saltcoats', 'KA21', 2), town('Ardrossan', 'KA22', 2),
      town('Stevenston', 'KA20', 1), town('Largs', 'KA30', 2), town('Kilbirnie', 'KA25', 1), town('Beith', 'KA15', 1),
      town('Dalry', 'KA24', 1), town('West Kilbride', 'KA23', 1), town('Millport', 'KA28', 1, { postTown: 'Isle of Cumbrae' }),
      town('Brodick', 'KA27', 2, { postTown: 'Isle of Arran' }), town('Lamlash', 'KA27', 1, { postTown: 'Isle of Arran' }),
      town('Whiting Bay', 'KA27', 1, { postTown: 'Isle of Arran' }), town('Skelmorlie', 'PA17', 1),
    ],
  },
  {
    name: 'North Lanarkshire', shortName: 'North Lanarkshire', populationThousands: 341, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Motherwell', 'ML1', 4), town('Wishaw', 'ML2', 4), town('Airdrie', 'ML6', 4), town('Coatbridge', 'ML5', 4),
      town('Cumbernauld', 'G67', 4, inGlasgow), town('Bellshill', 'ML4', 2), town('Kilsyth', 'G65', 1, inGlasgow),
      town('Shotts', 'ML7', 1), town('Harthill', 'ML7', 1, { postTown: 'Shotts' }), town('Newmains', 'ML2', 1, { postTown: 'Wishaw' }),
    ],
  },
  {
    name: 'Orkney Islands', shortName: 'Orkney', populationThousands: 22, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Kirkwall', 'KW15', 4, { postTown: 'Orkney' }), town('Stromness', 'KW16', 2, { postTown: 'Orkney' }),
      town("St Margaret's Hope", 'KW17', 1, { postTown: 'Orkney' }), town('Dounby', 'KW17', 1, { postTown: 'Orkney' }),
    ],
  },
  {
    name: 'Perth and Kinross', shortName: 'Perth & Kinross', populationThousands: 153, gaelic: 0.05, phoneRange: 'other',
    towns: [
      town('Perth', 'PH1 PH2', 6), town('Crieff', 'PH7', 2), town('Blairgowrie', 'PH10', 2), town('Pitlochry', 'PH16', 1),
      town('Aberfeldy', 'PH15', 1), town('Kinross', 'KY13', 2), town('Auchterarder', 'PH3', 1), town('Coupar Angus', 'PH13', 1, { postTown: 'Blairgowrie' }),
      town('Dunkeld', 'PH8', 1), town('Alyth', 'PH11', 1, { postTown: 'Blairgowrie' }), town('Comrie', 'PH6', 1, { postTown: 'Crieff' }),
    ],
  },
  {
    name: 'Renfrewshire', shortName: 'Renfrewshire', populationThousands: 184, gaelic: 0, phoneRange: 'glasgow',
    towns: [
      town('Paisley', 'PA1 PA2 PA3', 6), town('Renfrew', 'PA4', 2), town('Johnstone', 'PA5', 2), town('Erskine', 'PA8', 2),
      town('Linwood', 'PA3', 1, { postTown: 'Paisley' }), town('Bishopton', 'PA7', 1), town('Kilbarchan', 'PA10', 1, { postTown: 'Johnstone' }),
      town('Lochwinnoch', 'PA12', 1), town('Bridge of Weir', 'PA11', 1), town('Houston', 'PA6', 1, { postTown: 'Johnstone' }),
    ],
  },
  {
    name: 'Scottish Borders', shortName: 'Borders', populationThousands: 116, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Galashiels', 'TD1', 3), town('Hawick', 'TD9', 3), town('Peebles', 'EH45', 2), town('Kelso', 'TD5', 2),
      town('Selkirk', 'TD7', 1), town('Jedburgh', 'TD8', 1), town('Duns', 'TD11', 1), town('Eyemouth', 'TD14', 1),
      town('Melrose', 'TD6', 1), town('Innerleithen', 'EH44', 1), town('Earlston', 'TD4', 1),
    ],
  },
  {
    name: 'Shetland Islands', shortName: 'Shetland', populationThousands: 23, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Lerwick', 'ZE1', 4, { postTown: 'Shetland' }), town('Scalloway', 'ZE1', 1, { postTown: 'Shetland' }),
      town('Brae', 'ZE2', 1, { postTown: 'Shetland' }), town('Sandwick', 'ZE2', 1, { postTown: 'Shetland' }),
      town('Sumburgh', 'ZE3', 1, { postTown: 'Shetland' }),
    ],
  },
  {
    name: 'South Ayrshire', shortName: 'South Ayrshire', populationThousands: 112, gaelic: 0, phoneRange: 'other',
    towns: [
      town('Ayr', 'KA7 KA8', 5), town('Prestwick', 'KA9', 2), town('Troon', 'KA10', 2), town('Girvan', 'KA26', 1),
      town('Maybole', 'KA19', 1), town('Dalmellington', 'KA6', 1, { postTown: 'Ayr' }),
    ],
  },
  {
    name: 'South Lanarkshire', shortName: 'South Lanarkshire', populationThousands: 329, gaelic: 0, phoneRange: 'other',
    towns: [
      town('East Kilbride', 'G74', 5, inGlasgow), town('Hamilton', 'ML3', 5), town('Rutherglen', 'G73', 3, inGlasgow),
      town('Cambuslang', 'G72', 2, inGlasgow), town('Blantyre', 'G72', 2, inGlasgow), town('Lanark', 'ML11', 2),
      town('Carluke', 'ML8', 2), town('Larkhall', 'ML9', 2), town('Strathaven', 'ML10', 1), town('Uddingston', 'G71', 1, inGlasgow),
      town('Bothwell', 'G71', 1, inGlasgow), town('Biggar', 'ML12', 1), town('Lesmahagow', 'ML11', 1, { postTown: 'Lanark' }),
    ],
  },
  {
    name: 'Stirling', shortName: 'Stirling', populationThousands: 92, gaelic: 0.05, phoneRange: 'other',
    towns: [
      town('Stirling', 'FK7 FK8', 4), town('Bridge of Allan', 'FK9', 1), town('Dunblane', 'FK15', 2), town('Callander', 'FK17', 1),
      town('Killin', 'FK21', 1), town('Balfron', 'G63', 1, inGlasgow), town('Drymen', 'G63', 1, inGlasgow), town('Doune', 'FK16', 1),
      town('Bannockburn', 'FK7', 1, { postTown: 'Stirling' }), town('Aberfoyle', 'FK8', 1, { postTown: 'Stirling' }),
    ],
  },
  {
    name: 'West Dunbartonshire', shortName: 'West Dunbartonshire', populationThousands: 88, gaelic: 0, phoneRange: 'glasgow',
    towns: [
      town('Clydebank', 'G81', 4), town('Dumbarton', 'G82', 3), town('Alexandria', 'G83', 2), town('Balloch', 'G83', 1, { postTown: 'Alexandria' }),
      town('Old Kilpatrick', 'G60', 1, inGlasgow), town('Renton', 'G82', 1, { postTown: 'Dumbarton' }),
    ],
  },
  {
    name: 'West Lothian', shortName: 'West Lothian', populationThousands: 183, gaelic: 0, phoneRange: 'edinburgh',
    towns: [
      town('Livingston', 'EH53 EH54', 5), town('Bathgate', 'EH48', 3), town('Linlithgow', 'EH49', 2), town('Broxburn', 'EH52', 2),
      town('Whitburn', 'EH47', 2, { postTown: 'Bathgate' }), town('Armadale', 'EH48', 1, { postTown: 'Bathgate' }),
      town('West Calder', 'EH55', 1), town('Uphall', 'EH52', 1, { postTown: 'Broxburn' }), town('Blackburn', 'EH47', 1, { postTown: 'Bathgate' }),
    ],
  },
];

export interface DemoHospital {
  name: string;
  councilArea: string;
  town: string;
  outcode: string;
  /** The street where we are sure of it; otherwise the hospital's name is the first address line. */
  street?: string;
  /** What the eye department is called there. */
  clinic: string;
}

/** Hospitals with an eye clinic in every health board, for eye clinic liaison officers (ECLOs). */
export const DEMO_HOSPITALS: readonly DemoHospital[] = [
  { name: 'University Hospital Crosshouse', councilArea: 'East Ayrshire', town: 'Kilmarnock', outcode: 'KA2', street: 'Kilmarnock Road', clinic: 'Ophthalmology Outpatients' },
  { name: 'University Hospital Ayr', councilArea: 'South Ayrshire', town: 'Ayr', outcode: 'KA6', street: 'Dalmellington Road', clinic: 'Eye Outpatients' },
  { name: 'Borders General Hospital', councilArea: 'Scottish Borders', town: 'Melrose', outcode: 'TD6', clinic: 'Eye Clinic' },
  { name: 'Dumfries and Galloway Royal Infirmary', councilArea: 'Dumfries and Galloway', town: 'Dumfries', outcode: 'DG2', clinic: 'Ophthalmology Department' },
  { name: 'Victoria Hospital', councilArea: 'Fife', town: 'Kirkcaldy', outcode: 'KY2', street: 'Hayfield Road', clinic: 'Eye Clinic' },
  { name: 'Queen Margaret Hospital', councilArea: 'Fife', town: 'Dunfermline', outcode: 'KY12', street: 'Whitefield Road', clinic: 'Eye Clinic' },
  { name: 'Forth Valley Royal Hospital', councilArea: 'Falkirk', town: 'Larbert', outcode: 'FK5', street: 'Stirling Road', clinic: 'Ophthalmology Outpatients' },
  { name: 'Aberdeen Royal Infirmary', councilArea: 'Aberdeen City', town: 'Aberdeen', outcode: 'AB25', street: 'Foresterhill Road', clinic: 'Eye Outpatients' },
  { name: "Dr Gray's Hospital", councilArea: 'Moray', town: 'Elgin', outcode: 'IV30', street: 'Pluscarden Road', clinic: 'Eye Clinic' },
  { name: 'Gartnavel General Hospital', councilArea: 'Glasgow City', town: 'Glasgow', outcode: 'G12', street: 'Great Western Road', clinic: 'Tennent Institute of Ophthalmology' },
  { name: 'New Victoria Hospital', councilArea: 'Glasgow City', town: 'Glasgow', outcode: 'G42', street: 'Grange Road', clinic: 'Eye Outpatients' },
  { name: 'Royal Alexandra Hospital', councilArea: 'Renfrewshire', town: 'Paisley', outcode: 'PA2', street: 'Corsebar Road', clinic: 'Eye Outpatients' },
  { name: 'Inverclyde Royal Hospital', councilArea: 'Inverclyde', town: 'Greenock', outcode: 'PA16', street: 'Larkfield Road', clinic: 'Eye Clinic' },
  { name: 'Raigmore Hospital', councilArea: 'Highland', town: 'Inverness', outcode: 'IV2', street: 'Old Perth Road', clinic: 'Ophthalmology Department' },
  { name: 'Belford Hospital', councilArea: 'Highland', town: 'Fort William', outcode: 'PH33', street: 'Belford Road', clinic: 'Eye Clinic' },
  { name: 'Lorn and Islands Hospital', councilArea: 'Argyll and Bute', town: 'Oban', outcode: 'PA34', street: 'Glengallan Road', clinic: 'Eye Clinic' },
  { name: 'University Hospital Monklands', councilArea: 'North Lanarkshire', town: 'Airdrie', outcode: 'ML6', street: 'Monkscourt Avenue', clinic: 'Eye Department' },
  { name: 'University Hospital Wishaw', councilArea: 'North Lanarkshire', town: 'Wishaw', outcode: 'ML2', street: 'Netherton Street', clinic: 'Eye Outpatients' },
  { name: 'University Hospital Hairmyres', councilArea: 'South Lanarkshire', town: 'East Kilbride', outcode: 'G74', street: 'Eaglesham Road', clinic: 'Eye Clinic' },
  { name: 'Princess Alexandra Eye Pavilion', councilArea: 'City of Edinburgh', town: 'Edinburgh', outcode: 'EH3', street: 'Chalmers Street', clinic: 'Outpatient Clinics' },
  { name: "St John's Hospital", councilArea: 'West Lothian', town: 'Livingston', outcode: 'EH54', street: 'Howden Road West', clinic: 'Eye Clinic' },
  { name: 'Balfour Hospital', councilArea: 'Orkney Islands', town: 'Kirkwall', outcode: 'KW15', clinic: 'Outpatients Department' },
  { name: 'Gilbert Bain Hospital', councilArea: 'Shetland Islands', town: 'Lerwick', outcode: 'ZE1', clinic: 'Outpatients Department' },
  { name: 'Ninewells Hospital', councilArea: 'Dundee City', town: 'Dundee', outcode: 'DD1', clinic: 'Eye Clinic' },
  { name: 'Perth Royal Infirmary', councilArea: 'Perth and Kinross', town: 'Perth', outcode: 'PH1', street: 'Taymount Terrace', clinic: 'Eye Clinic' },
  { name: 'Western Isles Hospital', councilArea: 'Na h-Eileanan Siar', town: 'Stornoway', outcode: 'HS1', street: 'Macaulay Road', clinic: 'Outpatients Department' },
];

/** Invented names for sheltered housing developments; each is paired with a real town. */
export const SHELTERED_COURTS = [
  'Rowan Court', 'Burnside Court', 'Glenview House', 'Heatherbank Court', 'Kirkbrae Court', 'Riverside Court',
  "St Ninian's Court", 'Fir Park Court', 'Beechwood Court', 'Wallace Court', 'Bruce Court', 'Thistle Court',
  'Hawthorn Gardens', 'Lochview Court', 'Bankhead Court', 'Millburn Court', 'Willow Court', 'Cairn Court',
  'Ashgrove House', 'Braeside Court', 'Laurel Bank', 'Craigview Court', 'Abbey Court', 'Cedar Court',
  "St Mungo's Court", 'Heron Court', 'Ferguson Court', 'Tannery Court', 'Weavers Court', 'Marywell Court',
  'Greenlaw Court', 'Lindsay Court', 'Gowanbank Court', 'Orchard House', 'Birchwood Court', "St Bride's Court",
] as const;

/** Invented names for the halls, centres and cafés services meet in, before the town is added. */
export const COMMUNITY_VENUES = [
  '{town} Community Centre', '{town} Library', '{town} Town Hall', '{town} Parish Church Hall', 'Old Kirk Hall, {town}',
  '{town} Community Campus', 'The Bridge Centre, {town}', '{town} Community Hub', 'Millennium Hall, {town}',
  "St Andrew's Church Hall, {town}", "St Columba's Hall, {town}", '{town} Bowling Club', 'Station House, {town}',
  '{town} Resource Centre', 'Burgh Hall, {town}', '{town} Miners Welfare', 'The Hub at {town} Academy',
] as const;

export const LEISURE_VENUES = [
  '{town} Leisure Centre', '{town} Sports Centre', '{town} Swimming Pool', '{town} Community Sports Hub', '{town} Park Pavilion',
] as const;

export const HEALTH_VENUES = [
  '{town} Health Centre', '{town} Community Hospital', '{town} Medical Centre', '{town} Primary Care Centre',
] as const;

/** Generic Scottish street names for invented addresses in real towns. */
export const STREETS = [
  'High Street', 'Main Street', 'Church Street', 'King Street', 'Station Road', 'Bridge Street', 'Victoria Road',
  'Union Street', 'George Street', 'Castle Street', 'Hope Street', 'Academy Street', 'Mill Street', 'Park Road',
  'School Wynd', 'Kirk Wynd', 'Shore Road', 'Harbour Street', 'Glebe Road', 'Manse Road', 'Burn Road', 'Braehead',
  'Quarry Road', 'Water Street', 'Bank Street', 'Commercial Street', 'Gordon Street', 'Wellington Street',
  'Albert Street', 'Queen Street', 'Crown Street', 'Market Street', 'Tolbooth Wynd', 'Whinhill Road', 'Moss Road',
] as const;

export const FIRST_NAMES = [
  'Morag', 'Fiona', 'Iain', 'Calum', 'Eilidh', 'Ailsa', 'Kirsty', 'Murdo', 'Hamish', 'Shona', 'Catriona', 'Ruaridh',
  'Mhairi', 'Euan', 'Grant', 'Lorna', 'Sandra', 'Agnieszka', 'Tomasz', 'Priya', 'Imran', 'Aisha', 'Olu', 'Jamie',
  'Gillian', 'Douglas', 'Niamh', 'Kenny', 'Siobhan', 'Alasdair', 'Rhona', 'Derek', 'Yasmin', 'Callum', 'Isla', 'Rory',
] as const;

export const SURNAMES = [
  'MacLeod', 'MacDonald', 'Campbell', 'Stewart', 'Robertson', 'Fraser', 'Morrison', 'Paterson', 'Murray', 'Reid',
  'Kerr', 'Sinclair', 'Gillies', "O'Neill", 'MacKinnon', 'Nowak', 'Khan', 'Ahmed', 'Rennie', 'Buchanan', 'Thomson',
  'Wilson', 'Lennox', 'McGregor', 'Docherty', 'Duncan', 'Hendry', "O'Donnell", 'Kowalska', 'Bhatti', 'Adeyemi', 'Moffat',
] as const;

/** Saints that churches and church halls are dedicated to, for names with apostrophes in them. */
export const SAINTS = ['Andrew', 'Columba', 'Ninian', 'Margaret', 'Mungo', 'Bride', 'Machar', 'Cuthbert', 'Kentigern', 'Mary', 'John', 'Serf'] as const;
